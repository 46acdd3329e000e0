/**
 * A real S3-compatible server for the e2e suite: SeaweedFS's S3 gateway (`weed server -s3`), built from
 * its Go module by scripts/ensure-seaweedfs.sh, started on free ports of 127.0.0.1 with a temporary data
 * directory and one S3 identity, plus a small S3 client (AWS Signature V4 over plain HTTP) to create a
 * bucket and read objects back the way any S3 tool would.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { createHash, createHmac } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { type AddressInfo, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO } from "./harness";

export interface S3Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

export interface S3Response {
  readonly status: number;
  readonly body: Buffer;
}

export interface RunningS3Server {
  /** http://127.0.0.1:PORT */
  readonly endpoint: string;
  readonly region: string;
  readonly credentials: S3Credentials;
  /** The Pulumi backend URL of a bucket on this server. */
  backendUrl(bucket: string): string;
  /** A request signed with the given credentials (the server's own by default), or unsigned with `null`. */
  send(
    method: string,
    path: string,
    options?: { query?: Record<string, string>; credentials?: S3Credentials | null },
  ): Promise<S3Response>;
  createBucket(bucket: string): Promise<void>;
  /** Every key in the bucket (ListObjectsV2, all pages), optionally under a prefix. */
  listKeys(bucket: string, prefix?: string): Promise<string[]>;
  getObject(bucket: string, key: string): Promise<Buffer>;
  /** The server's output so far (for failure messages). */
  log(): string;
  stop(): Promise<void>;
}

const REGION = "us-east-1";

/** The weed binary built by scripts/ensure-seaweedfs.sh; fails (does not build: that takes minutes) when absent. */
export function weedBinary(): string {
  const script = join(REPO, "scripts", "ensure-seaweedfs.sh");
  try {
    return execFileSync("bash", [script, "--check"], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] })
      .trim()
      .split("\n")
      .pop() as string;
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? "").trim();
    throw new Error(
      `The SeaweedFS binary (weed) is not built on this machine: run \`bash scripts/ensure-seaweedfs.sh\` ` +
        `(once per machine, several minutes; npm test and npm run test:e2e do it) and run the suite again.\n${stderr}`,
    );
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Distinct free ports (weed needs an HTTP and a gRPC port for each of master, volume, filer and S3). */
async function freePorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await freePort());
  return [...ports];
}

const sha256 = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");
const hmac = (key: string | Buffer, data: string) => createHmac("sha256", key).update(data, "utf8").digest();
const encode = (text: string) =>
  encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** AWS Signature Version 4 headers for a request without a body. */
function signedHeaders(
  method: string,
  host: string,
  path: string,
  query: Record<string, string>,
  credentials: S3Credentials,
): Record<string, string> {
  const amzDate = new Date()
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
  const day = amzDate.slice(0, 8);
  const payloadHash = sha256("");
  const canonicalQuery = Object.keys(query)
    .sort()
    .map((k) => `${encode(k)}=${encode(query[k] as string)}`)
    .join("&");
  const canonicalPath = path.split("/").map(encode).join("/");
  const headers = { host, "x-amz-content-sha256": payloadHash, "x-amz-date": amzDate };
  const names = Object.keys(headers).sort();
  const canonicalRequest = [
    method,
    canonicalPath,
    canonicalQuery,
    ...names.map((n) => `${n}:${headers[n as keyof typeof headers]}`),
    "",
    names.join(";"),
    payloadHash,
  ].join("\n");
  const scope = `${day}/${REGION}/s3/aws4_request`;
  const stringToSign = ["AWS4-HMAC-SHA256", amzDate, scope, sha256(canonicalRequest)].join("\n");
  let key: Buffer = hmac(`AWS4${credentials.secretAccessKey}`, day);
  for (const part of [REGION, "s3", "aws4_request"]) key = hmac(key, part);
  const signature = createHmac("sha256", key).update(stringToSign, "utf8").digest("hex");
  return {
    ...headers,
    authorization: `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${scope}, SignedHeaders=${names.join(";")}, Signature=${signature}`,
  };
}

function httpRequest(
  port: number,
  method: string,
  path: string,
  query: Record<string, string>,
  headers: Record<string, string>,
): Promise<S3Response> {
  const search = Object.keys(query).length > 0 ? `?${new URLSearchParams(query).toString()}` : "";
  return new Promise((resolve, reject) => {
    const req = request(
      { host: "127.0.0.1", port, method, path: `${path.split("/").map(encode).join("/")}${search}`, headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end();
  });
}

const xmlText = (text: string) =>
  text
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)))
    .replace(/&amp;/g, "&");

/** Starts `weed server` with the S3 gateway; resolves when the gateway answers signed requests. */
export async function startSeaweedS3(credentials: S3Credentials): Promise<RunningS3Server> {
  const weed = weedBinary();
  const dataDir = mkdtempSync(join(tmpdir(), "seaweedfs-e2e-"));
  const ports = await freePorts(8);
  const [master, masterGrpc, volume, volumeGrpc, filer, filerGrpc, s3Grpc] = ports;
  const s3 = ports[7] as number;
  const configFile = join(dataDir, "s3.json");
  writeFileSync(
    configFile,
    JSON.stringify({
      identities: [
        {
          name: "pulumi-state",
          credentials: [{ accessKey: credentials.accessKeyId, secretKey: credentials.secretAccessKey }],
          actions: ["Admin", "Read", "List", "Tagging", "Write"],
        },
      ],
    }),
  );
  const args = [
    "server",
    `-dir=${join(dataDir, "data")}`,
    "-ip=127.0.0.1",
    "-ip.bind=127.0.0.1",
    `-master.port=${master}`,
    `-master.port.grpc=${masterGrpc}`,
    "-master.volumeSizeLimitMB=64",
    `-volume.port=${volume}`,
    `-volume.port.grpc=${volumeGrpc}`,
    "-volume.max=16",
    `-filer.port=${filer}`,
    `-filer.port.grpc=${filerGrpc}`,
    "-s3",
    `-s3.port=${s3}`,
    `-s3.port.grpc=${s3Grpc}`,
    `-s3.config=${configFile}`,
    // Off: they would listen on fixed default ports.
    "-s3.port.iceberg=0",
    "-s3.port.lance=0",
  ];
  mkdirSync(join(dataDir, "data"));
  const child: ChildProcess = spawn(weed, args, { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString("utf8")).slice(-20_000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  let exited: number | null | undefined;
  const exit = new Promise<void>((resolve) =>
    child.on("exit", (code) => {
      exited = code;
      resolve();
    }),
  );

  const send: RunningS3Server["send"] = (method, path, options = {}) => {
    const query = options.query ?? {};
    const signer = options.credentials === undefined ? credentials : options.credentials;
    const headers = signer === null ? {} : signedHeaders(method, `127.0.0.1:${s3}`, path, query, signer);
    return httpRequest(s3, method, path, query, headers);
  };

  const stop = async () => {
    if (exited === undefined) {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exit;
      clearTimeout(timer);
    }
    rmSync(dataDir, { recursive: true, force: true });
  };

  const server: RunningS3Server = {
    endpoint: `http://127.0.0.1:${s3}`,
    region: REGION,
    credentials,
    backendUrl: (bucket) =>
      `s3://${bucket}?endpoint=${encodeURIComponent(`http://127.0.0.1:${s3}`)}&s3ForcePathStyle=true&region=${REGION}`,
    send,
    async createBucket(bucket) {
      // The gateway answers before the filer behind it is ready: retry until the bucket exists.
      const deadline = Date.now() + 60_000;
      for (;;) {
        const put = await send("PUT", `/${bucket}`).catch((e: Error) => ({ status: 0, body: Buffer.from(e.message) }));
        if (put.status === 200) break;
        const head = await send("HEAD", `/${bucket}`).catch(() => ({ status: 0, body: Buffer.alloc(0) }));
        if (head.status === 200) break;
        if (Date.now() > deadline)
          throw new Error(`could not create bucket ${bucket}: ${put.status} ${put.body.toString()}\n${output}`);
        await new Promise((r) => setTimeout(r, 500));
      }
    },
    async listKeys(bucket, prefix = "") {
      const keys: string[] = [];
      let token: string | undefined;
      do {
        const query: Record<string, string> = { "list-type": "2", prefix };
        if (token) query["continuation-token"] = token;
        const res = await send("GET", `/${bucket}`, { query });
        const xml = res.body.toString("utf8");
        if (res.status !== 200) throw new Error(`listing ${bucket}: ${res.status} ${xml}`);
        for (const m of xml.matchAll(/<Key>([^<]*)<\/Key>/g)) keys.push(xmlText(m[1] as string));
        token = /<IsTruncated>true<\/IsTruncated>/.test(xml)
          ? xmlText(/<NextContinuationToken>([^<]*)<\/NextContinuationToken>/.exec(xml)?.[1] ?? "")
          : undefined;
      } while (token);
      return keys;
    },
    async getObject(bucket, key) {
      const res = await send("GET", `/${bucket}/${key}`);
      if (res.status !== 200) throw new Error(`GET ${bucket}/${key}: ${res.status} ${res.body.toString()}`);
      return res.body;
    },
    log: () => output,
    stop,
  };

  // Ready when the gateway answers a signed request (the bucket listing of the account).
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (exited !== undefined) {
      await stop();
      throw new Error(`weed server exited with ${exited} before its S3 gateway was ready:\n${output}`);
    }
    const res = await send("GET", "/").catch(() => undefined);
    if (res?.status === 200) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the S3 gateway on port ${s3} was not ready after 90 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  return server;
}
