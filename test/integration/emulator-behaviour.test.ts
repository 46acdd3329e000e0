// The emulator's own behaviour: authentication, versions, life cycles, conflicts, lists, faults.
import { createHmac } from "node:crypto";
import type { RequestLogEntry, RunningEmulator } from "../../emulator";
import { ScpApiError } from "../../provider/errors";
import type { ScpClient } from "../../provider/http";
import { clientFor, control, withEmulator } from "../support/emulator";

let emulator: RunningEmulator;
let client: ScpClient;
beforeAll(async () => {
  emulator = await withEmulator({ timeScale: 0.001, today: "2026-11-23" });
  client = clientFor(emulator, { maxRetries: 0 });
});
afterAll(() => emulator.close());
beforeEach(() => control(emulator, "POST", "/reset"));

/** A raw request with hand-made authentication headers (independent of the client). */
async function raw(
  path: string,
  headers: Record<string, string>,
  method = "GET",
): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${emulator.url}${path}`, { method, headers });
  return { status: response.status, body: await response.json() };
}

function signed(
  path: string,
  { key = emulator.credentials.secretKey, accessKey = emulator.credentials.accessKey, timestamp = Date.now() } = {},
) {
  const message = `GET${emulator.url}${path}${timestamp}${accessKey}Openapi`;
  return {
    "Scp-AccessKey": accessKey,
    "Scp-Timestamp": String(timestamp),
    "Scp-ClientType": "Openapi",
    "Scp-Signature": createHmac("sha256", key).update(message).digest("base64"),
  };
}

const createLaunchConfiguration = async (): Promise<string> =>
  (
    await client.call<{ id: string }>("createLaunchConfiguration", {
      body: { name: "lc", image_id: "70a599e0-31e7-49b7-b260-868f441e862b", server_type_id: "s1v1m2" },
    })
  ).body.id;

/** A group with no servers (min 0, max 1), for tests about the group's own objects. */
const createEmptyGroup = async (launchConfigurationId: string): Promise<string> =>
  (
    await client.call<{ id: string }>("createAutoScalingGroup", {
      body: {
        name: "g",
        launch_configuration_id: launchConfigurationId,
        min_server_count: 0,
        max_server_count: 1,
        subnet_ids: ["s"],
      },
    })
  ).body.id;

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (e: unknown) => e as ScpApiError,
  );

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  for (let i = 0; i < 400; i++) {
    const value = await read();
    if (done(value)) return value;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error("condition never held");
}

describe("authentication", () => {
  test("a correctly signed request passes", async () => {
    expect((await raw("/v1/keypairs", signed("/v1/keypairs"))).status).toBe(200);
  });

  test("a wrong signature is 401 with the error envelope", async () => {
    const { status, body } = await raw("/v1/keypairs", signed("/v1/keypairs", { key: "wrong-secret" }));
    expect(status).toBe(401);
    expect(body).toEqual({ errors: [{ status: 401, code: "INVALID_SIGNATURE", detail: "signature does not match" }] });
  });

  test("an unknown access key is 401", async () => {
    const { status, body } = await raw("/v1/keypairs", signed("/v1/keypairs", { accessKey: "nobody" }));
    expect(status).toBe(401);
    expect(JSON.stringify(body)).toContain("INVALID_ACCESS_KEY");
  });

  test("a timestamp outside the tolerance window is 401", async () => {
    const { status, body } = await raw("/v1/keypairs", signed("/v1/keypairs", { timestamp: Date.now() - 10 * 60_000 }));
    expect(status).toBe(401);
    expect(JSON.stringify(body)).toContain("EXPIRED_TIMESTAMP");
  });

  test("missing headers are 401", async () => {
    expect((await raw("/v1/keypairs", {})).status).toBe(401);
  });
});

describe("versions", () => {
  const withVersion = (version: string) => ({
    ...signed("/v1/keypairs"),
    "Scp-API-Version": `virtualserver ${version}`,
  });

  test("the current version is accepted", async () => {
    expect((await raw("/v1/keypairs", withVersion("1.1"))).status).toBe(200);
  });

  test("an unknown version is 406 naming the versions offered", async () => {
    const { status, body } = await raw("/v1/keypairs", withVersion("9.9"));
    expect(status).toBe(406);
    expect(JSON.stringify(body)).toContain("offered: 1.1, 1.0");
  });

  test("a version past its support date is 406", async () => {
    const { status, body } = await raw("/v1/keypairs", withVersion("1.0"));
    expect(status).toBe(406);
    expect(JSON.stringify(body)).toContain("supported until 2025-12-31");
  });

  test("the emulator's today decides support", async () => {
    await control(emulator, "PUT", "/settings", { today: "2025-06-01" });
    try {
      expect((await raw("/v1/keypairs", withVersion("1.0"))).status).toBe(200);
    } finally {
      await control(emulator, "PUT", "/settings", { today: "2026-11-23" });
    }
  });

  test("operations that only exist as 1.0 are refused today, with the reason", async () => {
    const error = await failure(
      client.call("attachVirtualServerSecurityGroup", { path: { server_id: "x" }, body: { security_group_id: "y" } }),
    );
    expect(error?.status).toBe(406);
    expect(error?.detail).toMatch(/1.0 of Attach Virtual Server Security Group is no longer supported/);
  });
});

async function activeServer(extra: Record<string, unknown> = {}): Promise<string> {
  const created = await client.call<{ servers: { id: string }[] }>("createVirtualServer", {
    body: {
      name: "s",
      image_id: "70a599e0-31e7-49b7-b260-868f441e862b",
      server_type_id: "s1v1m2",
      networks: [{ subnet_id: "sub" }],
      ...extra,
    },
  });
  const id = created.body.servers[0]?.id ?? "";
  await until(
    () => client.call<{ state: string }>("showVirtualServer", { path: { server_id: id } }),
    (r) => r.body.state === "ACTIVE",
  );
  return id;
}

const serverState = async (id: string) =>
  (await client.call<{ state: string }>("showVirtualServer", { path: { server_id: id } })).body.state;
const volumeOf = async (id: string) =>
  (await client.call<Record<string, unknown>>("showVolume", { path: { volume_id: id } })).body;

describe("life cycles", () => {
  test("a server builds (BUILD → ACTIVE), stops, starts and changes type", async () => {
    const id = await activeServer();
    await client.call("stopVirtualServer", { path: { server_id: id } });
    await until(
      () => serverState(id),
      (s) => s === "SHUTOFF",
    );
    await client.call("updateVirtualServerType", { path: { server_id: id }, body: { server_type: "s1v2m4" } });
    await until(
      () => serverState(id),
      (s) => s === "SHUTOFF",
    );
    const shown = await client.call<{ server_type: { id: string } }>("showVirtualServer", { path: { server_id: id } });
    expect(shown.body.server_type.id).toBe("s1v2m4");
    await client.call("startVirtualServer", { path: { server_id: id } });
    await until(
      () => serverState(id),
      (s) => s === "ACTIVE",
    );
  });

  test("a build can be made to end in ERROR with a reason", async () => {
    await control(emulator, "POST", "/outcomes", { kind: "server", state: "ERROR", reason: "no valid host" });
    const created = await client.call<{ servers: { id: string }[] }>("createVirtualServer", {
      body: {
        name: "bad",
        image_id: "70a599e0-31e7-49b7-b260-868f441e862b",
        server_type_id: "s1v1m2",
        networks: [{ subnet_id: "sub" }],
      },
    });
    const id = created.body.servers[0]?.id ?? "";
    const shown = await until(
      () => client.call<Record<string, unknown>>("showVirtualServer", { path: { server_id: id } }),
      (r) => r.body.state !== "BUILD",
    );
    // SCP answers no failure reason: the emulator keeps it internally, out of the answer.
    expect(shown.body.state).toBe("ERROR");
    expect(shown.body).not.toHaveProperty("error_reason");
    expect(await control(emulator, "GET", `/objects/servers/${id}`)).toMatchObject({ _error_reason: "no valid host" });
  });

  test("deleting a server takes time before 404, and takes delete-on-termination volumes with it", async () => {
    const id = await activeServer();
    const bootVolume =
      (await client.call<{ volumes: { id: string }[] }>("showVirtualServer", { path: { server_id: id } })).body
        .volumes[0]?.id ?? "";
    await client.call("deleteVirtualServer", { path: { server_id: id } });
    await until(
      () => failure(serverState(id)),
      (e) => e?.status === 404,
    );
    expect((await failure(volumeOf(bootVolume)))?.status).toBe(404);
  });

  test("a volume is created, attached (in-use on both sides), extended, detached and deleted", async () => {
    const server = await activeServer();
    const created = await client.call<{ id: string; state: string }>("createVolume", {
      body: { name: "data", size: 10 },
    });
    const id = created.body.id;
    expect(created.body.state).toBe("creating");
    await until(
      () => volumeOf(id),
      (v) => v.state === "available",
    );
    await client.call("attachVolumeToVirtualServer", { path: { volume_id: id }, body: { server_id: server } });
    const attached = await until(
      () => volumeOf(id),
      (v) => v.state === "in-use",
    );
    expect(attached.servers).toEqual([expect.objectContaining({ id: server })]);
    const onServer = await client.call<{ volumes: { id: string }[] }>("showVirtualServer", {
      path: { server_id: server },
    });
    expect(onServer.body.volumes.map((v) => v.id)).toContain(id);
    await client.call("extendVolume", { path: { volume_id: id }, body: { size: 20 } });
    await until(
      () => volumeOf(id),
      (v) => v.state === "in-use" && v.size === 20,
    );
    await client.call("detachVolumeFromVirtualServer", { path: { volume_id: id, server_id: server } });
    await until(
      () => volumeOf(id),
      (v) => v.state === "available",
    );
    await client.call("deleteVolume", { path: { volume_id: id } });
    await until(
      () => failure(volumeOf(id)),
      (e) => e?.status === 404,
    );
  });

  test("snapshots become available, belong to their volume and go with cascade", async () => {
    const volume = (await client.call<{ id: string }>("createVolume", { body: { name: "v", size: 10 } })).body.id;
    await until(
      () => volumeOf(volume),
      (v) => v.state === "available",
    );
    const snapshot = (
      await client.call<{ id: string }>("createSnapshot", { body: { volume_id: volume, name: "snap" } })
    ).body.id;
    const show = () =>
      client.call<{ status: string; volume_id: string }>("showSnapshot", { path: { snapshot_id: snapshot } });
    await until(show, (r) => r.body.status === "available");
    const listed = await client.call<{ snapshots: unknown[] }>("listSnapshots", { query: { volume_id: volume } });
    expect(listed.body.snapshots).toHaveLength(1);
    expect((await failure(client.call("deleteVolume", { path: { volume_id: volume } })))?.status).toBe(409);
    await client.call("deleteVolume", { path: { volume_id: volume }, query: { cascade: true } });
    await until(
      () => failure(show()),
      (e) => e?.status === 404,
    );
  });

  test("an auto-scaling group creates its servers, is IN_SERVICE, scales and deletes them", async () => {
    const lc = await createLaunchConfiguration();
    const group = (
      await client.call<{ id: string }>("createAutoScalingGroup", {
        body: {
          name: "g",
          launch_configuration_id: lc,
          min_server_count: 1,
          max_server_count: 3,
          desired_server_count: 2,
          subnet_ids: ["sub"],
        },
      })
    ).body.id;
    const show = () =>
      client.call<{ state: string; total_server_count: number }>("showAutoScalingGroup", {
        path: { auto_scaling_group_id: group },
      });
    await until(show, (r) => r.body.state === "IN_SERVICE");
    const members = await client.call<{ servers: unknown[] }>("listVirtualServers", {
      query: { auto_scaling_group_id: group },
    });
    expect(members.body.servers).toHaveLength(2);
    await control(emulator, "POST", `/auto-scaling-groups/${group}/scale`, { desired: 3 });
    await until(show, (r) => r.body.state === "IN_SERVICE" && r.body.total_server_count === 3);
    await client.call("deleteAutoScalingGroup", { path: { auto_scaling_group_id: group } });
    await until(
      () => failure(show()),
      (e) => e?.status === 404,
    );
    expect(
      (await client.call<{ servers: unknown[] }>("listVirtualServers", { query: { auto_scaling_group_id: group } }))
        .body.servers,
    ).toEqual([]);
  });

  test("a scaling failure shows on the group with its reason", async () => {
    const lc = await createLaunchConfiguration();
    await control(emulator, "POST", "/outcomes", {
      kind: "asg-scale",
      state: "ERROR",
      reason: "quota exceeded: instances",
    });
    const group = (
      await client.call<{ id: string }>("createAutoScalingGroup", {
        body: { name: "g", launch_configuration_id: lc, min_server_count: 1, max_server_count: 1, subnet_ids: ["sub"] },
      })
    ).body.id;
    const show = () =>
      client.call<{ state: string }>("showAutoScalingGroup", { path: { auto_scaling_group_id: group } });
    const failed = await until(show, (r) => r.body.state !== "CREATING");
    expect(failed.body.state).toBe("SCALE_OUT_FAIL");
    expect(failed.body).not.toHaveProperty("error_reason");
    expect(await control(emulator, "GET", `/objects/auto-scaling-groups/${group}`)).toMatchObject({
      _error_reason: "quota exceeded: instances",
    });
  });
});

describe("transitional states", () => {
  // Durations long enough that the object is still changing when read.
  beforeEach(() =>
    control(emulator, "PUT", "/settings", {
      durations: { serverActionMs: 60_000, serverBuildMs: 60_000, volumeCreateMs: 60_000 },
    }),
  );
  afterEach(() =>
    control(emulator, "PUT", "/settings", { durations: { serverActionMs: 10, serverBuildMs: 45, volumeCreateMs: 8 } }),
  );

  test("are visible while an object changes", async () => {
    const created = await client.call<{ servers: { id: string }[] }>("createVirtualServer", {
      body: {
        name: "s",
        image_id: "70a599e0-31e7-49b7-b260-868f441e862b",
        server_type_id: "s1v1m2",
        networks: [{ subnet_id: "sub" }],
      },
    });
    expect(await serverState(created.body.servers[0]?.id ?? "")).toBe("BUILD");
    const volume = await client.call<{ state: string }>("createVolume", { body: { name: "v", size: 10 } });
    expect(volume.body.state).toBe("creating");
    const lc = await createLaunchConfiguration();
    const group = await client.call<{ state: string }>("createAutoScalingGroup", {
      body: { name: "g", launch_configuration_id: lc, min_server_count: 1, max_server_count: 1, subnet_ids: ["sub"] },
    });
    expect(group.body.state).toBe("CREATING");
  });
});

describe("conflicts and validation", () => {
  test("a locked server cannot be deleted", async () => {
    const id = await activeServer();
    await client.call("lockVirtualServer", { path: { server_id: id } });
    const error = await failure(client.call("deleteVirtualServer", { path: { server_id: id } }));
    expect(error?.status).toBe(409);
    expect(error?.detail).toMatch(/locked/);
  });

  test("an attached volume cannot be deleted", async () => {
    const server = await activeServer();
    const volume = (await client.call<{ id: string }>("createVolume", { body: { name: "v", size: 10 } })).body.id;
    await until(
      () => volumeOf(volume),
      (v) => v.state === "available",
    );
    await client.call("attachVolumeToVirtualServer", { path: { volume_id: volume }, body: { server_id: server } });
    const error = await failure(client.call("deleteVolume", { path: { volume_id: volume } }));
    expect(error?.status).toBe(409);
    expect(error?.detail).toMatch(/attached to server/);
  });

  test("a mutation while the object is changing is 409", async () => {
    const id = await activeServer();
    await client.call("stopVirtualServer", { path: { server_id: id } });
    const error = await failure(
      client.call("updateVirtualServerType", { path: { server_id: id }, body: { server_type: "s1v2m4" } }),
    );
    expect(error?.status).toBe(409);
  });

  test("a taken keypair name is 409", async () => {
    await client.call("createKeypair", { body: { name: "k" } });
    expect((await failure(client.call("createKeypair", { body: { name: "k" } })))?.status).toBe(409);
  });

  test("a launch configuration used by a group cannot be deleted", async () => {
    const lc = await createLaunchConfiguration();
    await client.call("createAutoScalingGroup", {
      body: { name: "g", launch_configuration_id: lc, min_server_count: 0, max_server_count: 1, subnet_ids: ["sub"] },
    });
    // Delete Launch Configuration documents 400, not 409 (virtualserver-api-reference.txt:3123-3127).
    expect(
      (await failure(client.call("deleteLaunchConfiguration", { path: { launch_configuration_id: lc } })))?.status,
    ).toBe(400);
  });

  test("a refusal the reference does not list for an operation is answered with one it lists", async () => {
    // Delete Server Volume documents 401, 403 and 404 only (virtualserver-api-reference.txt:3456-3458).
    const id = await activeServer();
    const boot = (await client.call<{ volumes: { id: string }[] }>("showVirtualServer", { path: { server_id: id } }))
      .body.volumes[0]?.id;
    const refused = await failure(
      client.call("deleteServerVolume", { path: { server_id: id, volume_id: boot ?? "" } }),
    );
    expect(refused?.status).toBe(403);
  });

  test("a body value of another type than the reference's request example is 400", async () => {
    // Create Virtual Server's example sends metadata as a string (virtualserver-api-reference.txt:2132).
    const refused = await failure(
      client.call("createVirtualServer", {
        body: { name: "s", image_id: "x", server_type_id: "s1v1m2", networks: [], metadata: { role: "web" } },
      }),
    );
    expect(refused).toMatchObject({ status: 400, detail: "metadata: expected string, got object" });
  });

  test("missing required fields, wrong types and bad enums are 400", async () => {
    expect((await failure(client.call("createVolume", { body: { name: "v" } })))?.detail).toMatch(/size/);
    expect((await failure(client.call("createVolume", { body: { name: "v", size: "big" } })))?.status).toBe(400);
    expect(
      (await failure(client.call("createServerGroup", { body: { name: "g", policy: "spread" } })))?.detail,
    ).toMatch(/policy: must be one of/);
  });

  test("unknown ids are 404", async () => {
    expect((await failure(client.call("showVirtualServer", { path: { server_id: "nope" } })))?.status).toBe(404);
    expect(
      (
        await failure(
          client.call("createVirtualServer", {
            body: { name: "s", image_id: "nope", server_type_id: "s1v1m2", networks: [{ subnet_id: "x" }] },
          }),
        )
      )?.status,
    ).toBe(404);
  });

  test("a volume cannot shrink", async () => {
    const volume = (await client.call<{ id: string }>("createVolume", { body: { name: "v", size: 10 } })).body.id;
    await until(
      () => volumeOf(volume),
      (v) => v.state === "available",
    );
    expect(
      (await failure(client.call("extendVolume", { path: { volume_id: volume }, body: { size: 5 } })))?.detail,
    ).toMatch(/only grow/);
  });
});

describe("lists", () => {
  beforeEach(async () => {
    for (const name of ["a", "b", "c", "d", "e"]) await client.call("createKeypair", { body: { name } });
  });

  test("marker/limit pages through keypairs", async () => {
    const first = await client.call<{ keypairs: { name: string }[] }>("listKeypairs", { query: { limit: 2 } });
    expect(first.body.keypairs.map((k) => k.name)).toEqual(["a", "b"]);
    const next = await client.call<{ keypairs: { name: string }[] }>("listKeypairs", {
      query: { limit: 2, marker: "b" },
    });
    expect(next.body.keypairs.map((k) => k.name)).toEqual(["c", "d"]);
  });

  test("offset/limit with a count", async () => {
    const lc = { image_id: "70a599e0-31e7-49b7-b260-868f441e862b", server_type_id: "s1v1m2" };
    for (const name of ["lc1", "lc2", "lc3"]) await client.call("createLaunchConfiguration", { body: { name, ...lc } });
    const page = await client.call<{ launch_configurations: { name: string }[]; count: number }>(
      "listLaunchConfigurations",
      {
        query: { offset: 1, limit: 1, sort: "name:asc" },
      },
    );
    expect(page.body.count).toBe(3);
    expect(page.body.launch_configurations.map((l) => l.name)).toEqual(["lc2"]);
  });

  test("page/size for schedules", async () => {
    const lc = await createLaunchConfiguration();
    const group = await createEmptyGroup(lc);
    for (const name of ["s1", "s2", "s3"]) {
      await client.call("createAutoScalingGroupSchedule", {
        path: { auto_scaling_group_id: group },
        body: { name, frequency: "DAILY", hour: 1, minute: 0 },
      });
    }
    const page = await client.call<{ schedules: { name: string }[]; count: number; page: number; size: number }>(
      "listAutoScalingGroupSchedules",
      {
        path: { auto_scaling_group_id: group },
        query: { page: 1, size: 2, sort: "name:asc" },
      },
    );
    expect(page.body).toMatchObject({ count: 3, page: 1, size: 2 });
    expect(page.body.schedules.map((s) => s.name)).toEqual(["s3"]);
  });

  test("filters and sorting", async () => {
    const sorted = await client.call<{ server_types: { id: string }[] }>("listServerTypes", {
      query: { min_ram: 16, sort: "ram:desc" },
    });
    expect(sorted.body.server_types[0]?.id).toBe("s1v16m64");
    expect(sorted.body.server_types.every((t) => (t as unknown as { ram: number }).ram >= 16)).toBe(true);
  });

  test("Python-style list strings are kept as the reference shows them", async () => {
    const group = await client.call<{ members: string }>("createServerGroup", {
      body: { name: "g", policy: "anti-affinity" },
    });
    expect(group.body.members).toBe("[]");
  });

  test("notification create answers with a list envelope, one per user", async () => {
    const lc = await createLaunchConfiguration();
    const group = await createEmptyGroup(lc);
    const created = await client.call<{ count: number; notifications: { user_id: string }[] }>(
      "createAutoScalingGroupNotification",
      {
        path: { auto_scaling_group_id: group },
        body: { user_ids: ["u1", "u2"], notification_events: ["SCALE_OUT"] },
      },
    );
    expect(created.body.count).toBe(2);
    expect(created.body.notifications.map((n) => n.user_id)).toEqual(["u1", "u2"]);
  });
});

describe("faults", () => {
  test("a seeded error rate is reproducible", async () => {
    const draw = async () => {
      await control(emulator, "PUT", "/faults", {
        seed: 42,
        rules: [{ operations: ["listKeypairs"], errorRate: 0.5 }],
      });
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) statuses.push((await failure(client.call("listKeypairs")))?.status ?? 200);
      return statuses;
    };
    const first = await draw();
    expect(await draw()).toEqual(first);
    expect(first).toContain(503);
    expect(first).toContain(200);
  });

  test("429 carries Retry-After", async () => {
    await control(emulator, "PUT", "/faults", { next: [{ kind: "429", retryAfterSeconds: 7 }] });
    const response = await fetch(`${emulator.url}/v1/keypairs`, { headers: signed("/v1/keypairs") });
    expect(response.status).toBe(429);
    expect(response.headers.get("retry-after")).toBe("7");
  });

  test("a connection reset drops the connection", async () => {
    await control(emulator, "PUT", "/faults", { next: [{ kind: "reset" }] });
    await expect(fetch(`${emulator.url}/v1/keypairs`, { headers: signed("/v1/keypairs") })).rejects.toThrow();
  });

  test("a slow response is slow", async () => {
    await control(emulator, "PUT", "/faults", { next: [{ kind: "slow", delayMs: 200 }] });
    const started = Date.now();
    await client.call("listKeypairs");
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
  });

  test("faults apply only to the operations named", async () => {
    await control(emulator, "PUT", "/faults", { rules: [{ operations: ["showKeypair"], errorRate: 1 }] });
    await expect(client.call("listKeypairs")).resolves.toMatchObject({ status: 200 });
  });
});

describe("control", () => {
  test("out-of-band edits and deletes change what the API answers", async () => {
    await client.call("createKeypair", { body: { name: "k" } });
    await control(emulator, "PATCH", "/objects/keypairs/k", { public_key: "ssh-ed25519 AAAA changed" });
    expect(
      (await client.call<{ public_key: string }>("showKeypair", { path: { keypair_name: "k" } })).body.public_key,
    ).toBe("ssh-ed25519 AAAA changed");
    await control(emulator, "DELETE", "/objects/keypairs/k");
    expect((await failure(client.call("showKeypair", { path: { keypair_name: "k" } })))?.status).toBe(404);
  });

  test("an object can be forced into an error state", async () => {
    const id = await activeServer();
    await control(emulator, "POST", `/objects/servers/${id}/state`, { state: "ERROR", reason: "hypervisor lost" });
    const shown = (await client.call<Record<string, unknown>>("showVirtualServer", { path: { server_id: id } })).body;
    expect(shown.state).toBe("ERROR");
    expect(shown).not.toHaveProperty("error_reason");
    expect(await control(emulator, "GET", `/objects/servers/${id}`)).toMatchObject({
      _error_reason: "hypervisor lost",
    });
  });

  test("tags given at creation are kept internally and never answered", async () => {
    const created = await client.call<{ id: string }>("createVolume", {
      body: { name: "tagged", size: 10, tags: "[{'key': 'team', 'value': 'a'}]" },
    });
    const shown = await client.call<Record<string, unknown>>("showVolume", { path: { volume_id: created.body.id } });
    expect(shown.body).not.toHaveProperty("tags");
    expect(await control(emulator, "GET", `/objects/volumes/${created.body.id}`)).toMatchObject({
      _tags: "[{'key': 'team', 'value': 'a'}]",
    });
  });

  test("the request log records the parsed request body", async () => {
    await control(emulator, "DELETE", "/requests");
    await client.call("createKeypair", { body: { name: "logged" } });
    await client.call("showKeypair", { path: { keypair_name: "logged" } });
    const log = (await control(emulator, "GET", "/requests")) as RequestLogEntry[];
    expect(log.map((e) => ({ operation: e.operation, body: e.body }))).toEqual([
      { operation: "createKeypair", body: { name: "logged" } },
      { operation: "showKeypair", body: undefined },
    ]);
  });

  test("reset restarts the counters (keypair ids, addresses)", async () => {
    const firstIds = async () => {
      await client.call("createKeypair", { body: { name: "counted" } });
      const shown = await client.call<{ id: number }>("showKeypair", { path: { keypair_name: "counted" } });
      return shown.body.id;
    };
    await control(emulator, "POST", "/reset");
    const before = await firstIds();
    await control(emulator, "POST", "/reset");
    expect(await firstIds()).toBe(before);
  });

  test("reset empties everything but the catalogue", async () => {
    await client.call("createKeypair", { body: { name: "k" } });
    await control(emulator, "POST", "/reset");
    const dump = (await control(emulator, "GET", "/objects")) as Record<string, unknown[]>;
    expect(Object.keys(dump).sort()).toEqual(["images", "server-types", "volume-types"]);
  });
});
