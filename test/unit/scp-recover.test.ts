import { adoptPendingCreates } from "../../tools/scp-recover";

const urn = (name: string) => `urn:pulumi:dev::app::pulumi-nodejs:dynamic/scp:Volume::${name}`;
const resource = (name: string, extra: Record<string, unknown> = {}) => ({
  urn: urn(name),
  type: "pulumi-nodejs:dynamic/scp:Volume",
  inputs: { name, __provider: "loader" },
  ...extra,
});
const creating = (name: string) => ({ type: "creating", resource: resource(name) });

describe("scp-recover: adopting pending creates", () => {
  const exported = {
    deployment: {
      resources: [resource("kept", { id: "v-kept", outputs: { name: "kept" } })],
      pending_operations: [
        creating("found"),
        creating("none"),
        creating("several"),
        { type: "updating", resource: resource("kept") },
      ],
    },
  };
  const pending = [
    { urn: urn("found"), description: "volume found", candidates: ["v-1"] },
    { urn: urn("none"), description: "volume none", candidates: [] },
    { urn: urn("several"), description: "volume several", candidates: ["v-2", "v-3"] },
  ];

  test("a create with one candidate becomes the resource, its inputs standing in for outputs until the refresh", () => {
    const result = adoptPendingCreates(exported, pending).deployment;
    expect(result?.resources?.find((r) => r.urn === urn("found"))).toMatchObject({
      id: "v-1",
      outputs: { name: "found", __provider: "loader" },
    });
  });

  test("a create that made nothing is dropped; one with several candidates stays pending; other operations stay", () => {
    const result = adoptPendingCreates(exported, pending).deployment;
    expect(result?.pending_operations?.map((op) => `${op.type} ${op.resource.urn.split("::").pop()}`)).toEqual([
      "creating several",
      "updating kept",
    ]);
    expect(result?.resources?.map((r) => r.urn.split("::").pop())).toEqual(["kept", "found"]);
  });

  test("the new half of a replacement marks the old one for deletion and goes right after it, before its dependents", () => {
    const replacing = {
      deployment: {
        resources: [resource("web", { id: "old", outputs: {} }), resource("disk", { id: "d", outputs: {} })],
        pending_operations: [creating("web")],
      },
    };
    const result = adoptPendingCreates(replacing, [
      { urn: urn("web"), description: "", candidates: ["new"] },
    ]).deployment;
    expect(result?.resources?.map((r) => [r.id, r.delete ?? false])).toEqual([
      ["old", true],
      ["new", false],
      ["d", false],
    ]);
  });

  test("the new half of a delete-before-replace takes the place of the old one, which is gone already", () => {
    const replacing = {
      deployment: {
        resources: [resource("attach", { id: "old", outputs: {}, pendingReplacement: true })],
        pending_operations: [creating("attach")],
      },
    };
    const result = adoptPendingCreates(replacing, [{ urn: urn("attach"), description: "", candidates: ["new"] }]);
    expect(result.deployment?.resources?.map((r) => r.id)).toEqual(["new"]);
  });
});
