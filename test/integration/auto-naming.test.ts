// Auto-naming: a resource without `name` is named after its Pulumi name plus a random suffix, chosen once in
// check and kept; a replacement may then create before it deletes, even where names must be unique.
import type { RunningEmulator } from "../../emulator";
import { provider as serverGroupProvider } from "../../resources/server-group";
import { provider as attachmentProvider } from "../../resources/volume-attachment";
import { control, emulatorForProviderTests } from "../support/emulator";
import { PROVIDER, driver } from "../support/provider";

let emulator: RunningEmulator;
const group = driver(serverGroupProvider);
emulatorForProviderTests((running) => (emulator = running));
beforeEach(() => control(emulator, "POST", "/reset"));

const URN = "urn:pulumi:dev::app::pulumi-nodejs:dynamic/scp:ServerGroup::web-spread";
const checked = async (news: Record<string, unknown>, olds: Record<string, unknown> = {}) =>
  (await serverGroupProvider.check!(olds, { __provider: PROVIDER, ...news })).inputs as Record<string, unknown>;

describe("auto-naming", () => {
  test("a group without a name is named after the resource plus 7 hex digits", async () => {
    const inputs = await checked({ policy: "anti-affinity", _urn: URN });
    expect(inputs.name).toMatch(/^web-spread-[0-9a-f]{7}$/);
    expect(inputs._autoNamed).toBe(true);
    const { outs } = await group.create(inputs);
    expect(outs.name).toBe(inputs.name);
    expect(await control(emulator, "GET", "/objects/server-groups")).toEqual([
      expect.objectContaining({ name: inputs.name }),
    ]);
  });

  test("the chosen name is kept by later checks (updates keep it), also after a refresh", async () => {
    const first = await checked({ policy: "anti-affinity", _urn: URN });
    const { id, outs } = await group.create(first);
    expect((await checked({ policy: "anti-affinity", _urn: URN }, first)).name).toBe(first.name);
    const refreshed = await group.read(id, outs);
    expect(refreshed.inputs).toMatchObject({ name: first.name, _autoNamed: true, _urn: URN });
    expect((await checked({ policy: "anti-affinity", _urn: URN }, refreshed.inputs ?? {})).name).toBe(first.name);
  });

  test("a name the program gives wins, and is not marked as chosen by the provider", async () => {
    const inputs = await checked(
      { name: "spread", policy: "anti-affinity", _urn: URN },
      { _autoNamed: true, name: "x" },
    );
    expect(inputs.name).toBe("spread");
    expect(inputs).not.toHaveProperty("_autoNamed");
  });

  test("a replacement of an auto-named group creates before it deletes; a named one deletes first", async () => {
    const inputs = await checked({ policy: "anti-affinity", _urn: URN });
    const { id, outs } = await group.create(inputs);
    const auto = await serverGroupProvider.diff!(id, outs, {
      ...(await checked({ policy: "affinity", _urn: URN }, inputs)),
    });
    expect(auto).toMatchObject({ replaces: ["policy"], deleteBeforeReplace: false });
    const named = { name: "spread", policy: "anti-affinity", _urn: URN };
    const created = await group.create(await checked(named));
    const fixed = await serverGroupProvider.diff!(created.id, created.outs, { ...named, policy: "affinity" });
    expect(fixed).toMatchObject({ replaces: ["policy"], deleteBeforeReplace: true });
  });

  test("a new check without the old inputs (the engine's check for a replacement) chooses a new name", async () => {
    const first = await checked({ policy: "anti-affinity", _urn: URN });
    const second = await checked({ policy: "affinity", _urn: URN });
    expect(second.name).not.toBe(first.name);
  });

  test("names are made safe for SCP: characters SCP refuses become dashes", async () => {
    const inputs = await checked({ policy: "anti-affinity", _urn: `${URN}/a?b#c` });
    expect(inputs.name).toMatch(/^web-spread-a-b-c-[0-9a-f]{7}$/);
    expect((await serverGroupProvider.check!({}, { __provider: PROVIDER, ...inputs })).failures).toEqual([]);
  });

  test("resources without a name (an attachment) are not given one", async () => {
    const result = await attachmentProvider.check!(
      {},
      { __provider: PROVIDER, volumeId: "v", serverId: "s", _urn: URN },
    );
    expect(result.inputs).not.toHaveProperty("name");
  });
});
