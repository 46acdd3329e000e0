/**
 * Show Server / Volume Quota Set read with a client, for code that has one (the provider's own checks);
 * `getServerQuotaSet` / `getVolumeQuotaSet` are the lookups' form.
 */
import { z } from "zod";
import type { ScpClient } from "../provider/http";
import { looseNumber, optionalText } from "./common";
import type { GetQuotaSetUsage, GetServerQuotaSetResult, GetVolumeQuotaSetResult } from "./quotas";

const apiUsage = z
  .looseObject({ in_use: z.number(), reserved: z.number(), limit: looseNumber })
  .transform((u): GetQuotaSetUsage => ({ inUse: u.in_use, reserved: u.reserved, limit: u.limit }));

const apiServerQuotaSet = z.looseObject({
  id: optionalText,
  instances: apiUsage,
  cores: apiUsage,
  ram: apiUsage,
  keypairs: apiUsage,
  metadata_items: apiUsage,
  server_groups: apiUsage,
  server_group_members: apiUsage,
});

const apiVolumeQuotaSet = z.looseObject({
  id: optionalText,
  volumes: apiUsage,
  snapshots: apiUsage,
  per_volume_size: apiUsage,
  usages: apiUsage,
});

export async function readServerQuotaSet(api: ScpClient): Promise<GetServerQuotaSetResult> {
  const q = apiServerQuotaSet.parse((await api.call("showServerQuotaSet")).body);
  return {
    id: q.id,
    instances: q.instances,
    cores: q.cores,
    ram: q.ram,
    keypairs: q.keypairs,
    metadataItems: q.metadata_items,
    serverGroups: q.server_groups,
    serverGroupMembers: q.server_group_members,
  };
}

export async function readVolumeQuotaSet(api: ScpClient): Promise<GetVolumeQuotaSetResult> {
  const q = apiVolumeQuotaSet.parse((await api.call("showVolumeQuotaSet")).body);
  return {
    id: q.id,
    volumes: q.volumes,
    snapshots: q.snapshots,
    perVolumeSize: q.per_volume_size,
    usages: q.usages,
  };
}
