/** Drives a resource's provider implementation the way the dynamic provider host does. */
import type * as pulumi from "@pulumi/pulumi";
import { ResourceInitError } from "../../provider/resource-provider";

export const PROVIDER = "serialized provider text";
type Props = Record<string, unknown>;

export function driver(provider: pulumi.dynamic.ResourceProvider) {
  const api = {
    async check(news: Props, olds: Props = {}) {
      return (await provider.check!(olds, { __provider: PROVIDER, ...news })).failures ?? [];
    },
    async create(inputs: Props) {
      return provider.create({ __provider: PROVIDER, ...inputs });
    },
    async diff(olds: Props, news: Props) {
      return provider.diff!("id", olds, news);
    },
    async read(id: string, props: Props) {
      return provider.read!(id, props);
    },
    async update(id: string, olds: Props, news: Props) {
      return (await provider.update!(id, olds, { __provider: PROVIDER, ...news })).outs as Props;
    },
    async delete(id: string, props: Props) {
      return provider.delete!(id, props);
    },
    /** Creates and returns the init failure a create ended in (fails the test if it succeeded). */
    async createFailure(inputs: Props): Promise<ResourceInitError> {
      const error = await api.create(inputs).then(
        () => undefined,
        (e: unknown) => e,
      );
      if (!(error instanceof ResourceInitError)) throw new Error(`expected an init failure, got ${String(error)}`);
      return error;
    },
  };
  return api;
}
