import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ScpSettingsError } from "../../provider/errors";
import { resolveSettings } from "../../provider/settings";

function homeWith(files: { config?: object; credentials?: object } = {}): string {
  const home = mkdtempSync(join(tmpdir(), "scp-home-"));
  mkdirSync(join(home, ".scpconf"));
  if (files.config) writeFileSync(join(home, ".scpconf", "config.json"), JSON.stringify(files.config));
  if (files.credentials) writeFileSync(join(home, ".scpconf", "credentials.json"), JSON.stringify(files.credentials));
  return home;
}

describe("settings sources", () => {
  const emptyHome = homeWith();

  test("stack config wins over environment, environment over the official files", () => {
    const home = homeWith({
      credentials: { "access-key": "file-ak", "secret-key": "file-sk" },
      config: { "default-region": "kr-south1", "endpoint-override": "http://file" },
    });
    const settings = resolveSettings({
      stackConfig: { "scp:accessKey": "stack-ak" },
      env: { SCP_TF_SECRET_KEY: "env-sk", SCP_REGION: "kr-west1" },
      homeDir: home,
    });
    expect(settings.accessKey).toBe("stack-ak");
    expect(settings.secretKey).toBe("env-sk");
    expect(settings.region).toBe("kr-west1");
    expect(settings.endpointOverride).toBe("http://file");
  });

  test("the resource's region wins over every other source", () => {
    const settings = resolveSettings({
      resource: { region: "kr-east1" },
      stackConfig: { "scp:region": "kr-west1", "scp:accessKey": "a", "scp:secretKey": "b" },
      env: {},
      homeDir: emptyHome,
    });
    expect(settings.region).toBe("kr-east1");
  });

  test("the official SCP_TF_* names and files are enough on their own", () => {
    const home = homeWith({
      credentials: { "access-key": "ak", "secret-key": "sk" },
      config: { "auth-url": "https://iam.s.samsungsdscloud.com/v1", "account-id": "acc" },
    });
    const settings = resolveSettings({ env: { SCP_TF_ENDPOINT_OVERRIDE: "http://127.0.0.1:9" }, homeDir: home });
    expect(settings).toMatchObject({
      accessKey: "ak",
      secretKey: "sk",
      accountId: "acc",
      endpointOverride: "http://127.0.0.1:9",
    });
  });

  test("a missing credential names every place looked", () => {
    let message = "";
    try {
      resolveSettings({ env: {}, homeDir: emptyHome });
    } catch (error) {
      expect(error).toBeInstanceOf(ScpSettingsError);
      message = (error as Error).message;
    }
    for (const place of [
      "scp:accessKey",
      "SCP_ACCESS_KEY",
      "SCP_TF_ACCESS_KEY",
      "credentials.json",
      "scp:secretKey",
      "SCP_TF_SECRET_KEY",
    ]) {
      expect(message).toContain(place);
    }
  });

  test("defaults for tuning knobs", () => {
    const settings = resolveSettings({ env: { SCP_ACCESS_KEY: "a", SCP_SECRET_KEY: "b" }, homeDir: emptyHome });
    expect(settings).toMatchObject({
      maxRetries: 6,
      requestTimeoutMs: 60000,
      maxConcurrentRequests: 8,
      apiVersions: {},
    });
  });

  test("per-operation API versions come as a JSON object", () => {
    const settings = resolveSettings({
      stackConfig: { "scp:accessKey": "a", "scp:secretKey": "b", "scp:apiVersions": '{"deleteVirtualServer":"1.4"}' },
      env: {},
      homeDir: emptyHome,
    });
    expect(settings.apiVersions).toEqual({ deleteVirtualServer: "1.4" });
  });

  test("invalid values are reported with the setting's name", () => {
    expect(() =>
      resolveSettings({
        env: { SCP_ACCESS_KEY: "a", SCP_SECRET_KEY: "b", SCP_MAX_RETRIES: "many" },
        homeDir: emptyHome,
      }),
    ).toThrow(/maxRetries/);
    expect(() =>
      resolveSettings({
        env: { SCP_ACCESS_KEY: "a", SCP_SECRET_KEY: "b", SCP_API_VERSIONS: '{"x":"one"}' },
        homeDir: emptyHome,
      }),
    ).toThrow(/apiVersions/);
    expect(() =>
      resolveSettings({
        env: { SCP_ACCESS_KEY: "a", SCP_SECRET_KEY: "b", SCP_ENDPOINT_OVERRIDE: "not a url" },
        homeDir: emptyHome,
      }),
    ).toThrow(/endpointOverride/);
  });
});

import { assertCredentialsAreSecret } from "../../provider/resource-options";

describe("credentials in stack config", () => {
  test("plain-text credentials are refused with the command that fixes them", () => {
    expect(() =>
      assertCredentialsAreSecret({ "scp:accessKey": "a", "scp:secretKey": "b" }, '["scp:accessKey"]'),
    ).toThrow(/scp:secretKey is set in plain text[\s\S]*pulumi config set --secret scp:secretKey/);
  });

  test("secret credentials, or none in the stack config, pass", () => {
    expect(() =>
      assertCredentialsAreSecret({ "scp:accessKey": "a", "scp:secretKey": "b" }, '["scp:accessKey","scp:secretKey"]'),
    ).not.toThrow();
    expect(() => assertCredentialsAreSecret({ "scp:region": "kr-west1" }, "[]")).not.toThrow();
  });

  test("when the engine does not say which keys are secret, nothing is judged", () => {
    expect(() => assertCredentialsAreSecret({ "scp:secretKey": "b" }, undefined)).not.toThrow();
  });
});
