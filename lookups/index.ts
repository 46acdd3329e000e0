/**
 * Lookups, as pulumi-aws has them: `getX(args)` resolves to a typed camelCase result; `getXOutput(args)`
 * takes Inputs (Outputs, promises or values) and gives an Output of it. Settings are the resources' own:
 * the stack config `scp:*`, the environment, or `~/.scpconf`; every lookup also takes `region`. Bad
 * arguments fail with an `ScpLookupError` naming the property, before any request.
 *
 *   const image = scp.getImageOutput({ osDistro: "ubuntu", mostRecent: true });
 *   new scp.VirtualServer("web", { imageId: image.id, … });
 */
export {
  type LookupArgumentFailure,
  type LookupFailure,
  type LookupInputs,
  type LookupOptions,
  ScpLookupError,
} from "./types";
export {
  type GetAutoScalingGroupLbServerGroup,
  type GetAutoScalingGroupNotification,
  type GetAutoScalingGroupLbServerGroupsArgs,
  type GetAutoScalingGroupLbServerGroupsOutputArgs,
  type GetAutoScalingGroupLbServerGroupsResult,
  type GetAutoScalingGroupNotificationsArgs,
  type GetAutoScalingGroupNotificationsOutputArgs,
  type GetAutoScalingGroupNotificationsResult,
  getAutoScalingGroupLbServerGroups,
  getAutoScalingGroupLbServerGroupsOutput,
  getAutoScalingGroupNotifications,
  getAutoScalingGroupNotificationsOutput,
} from "./auto-scaling";
export {
  type DefaultConfigValue,
  type GetDefaultConfigsArgs,
  type GetDefaultConfigsOutputArgs,
  type GetDefaultConfigsResult,
  type GetMaximumPartitionSizeResult,
  getDefaultConfigs,
  getDefaultConfigsOutput,
  getMaximumPartitionSize,
  getMaximumPartitionSizeOutput,
} from "./defaults";
export { type GetImageArgs, type GetImageOutputArgs, type GetImageResult, getImage, getImageOutput } from "./images";
export {
  type GetImageMember,
  type GetImageMembersArgs,
  type GetImageMembersOutputArgs,
  type GetImageMembersResult,
  getImageMembers,
  getImageMembersOutput,
} from "./image-members";
export {
  type GetKeypairArgs,
  type GetKeypairOutputArgs,
  type GetKeypairResult,
  type GetKeypairsResult,
  type GetKeypairsKeypair,
  getKeypair,
  getKeypairOutput,
  getKeypairs,
  getKeypairsOutput,
} from "./keypairs";
export {
  type GetServerQuotaSetResult,
  type GetVolumeQuotaSetResult,
  type GetQuotaSetUsage,
  getServerQuotaSet,
  getServerQuotaSetOutput,
  getVolumeQuotaSet,
  getVolumeQuotaSetOutput,
} from "./quotas";
export {
  type GetServerTypeArgs,
  type GetServerTypeOutputArgs,
  type GetServerTypeResult,
  getServerType,
  getServerTypeOutput,
} from "./server-types";
export {
  type GetServerArgs,
  type GetServerOutputArgs,
  type GetServerResult,
  type GetServerAddress,
  type GetServerIpAddress,
  type GetServerVolume,
  getServer,
  getServerOutput,
} from "./servers";
export {
  type GetServerIpArgs,
  type GetServerIpOutputArgs,
  type GetServerIpResult,
  type GetServerIpsArgs,
  type GetServerIpsOutputArgs,
  type GetServerIpsResult,
  getServerIp,
  getServerIpOutput,
  getServerIps,
  getServerIpsOutput,
} from "./server-ips";
export {
  type GetServerVolumesArgs,
  type GetServerVolumesAttachment,
  type GetServerVolumesOutputArgs,
  type GetServerVolumesResult,
  getServerVolumes,
  getServerVolumesOutput,
} from "./server-volumes";
export {
  type GetVolumeTypeArgs,
  type GetVolumeTypeOutputArgs,
  type GetVolumeTypeResult,
  type GetVolumeTypesResult,
  getDefaultVolumeType,
  getDefaultVolumeTypeOutput,
  getVolumeType,
  getVolumeTypeOutput,
  getVolumeTypes,
  getVolumeTypesOutput,
} from "./volume-types";
export {
  type GetVolumeArgs,
  type GetVolumeOutputArgs,
  type GetVolumeResult,
  type GetVolumeServer,
  type GetVolumeSourceImage,
  getVolume,
  getVolumeOutput,
} from "./volumes";
export {
  type GetVolumeTransferArgs,
  type GetVolumeTransferOutputArgs,
  type GetVolumeTransferResult,
  type GetVolumeTransfersArgs,
  type GetVolumeTransfersOutputArgs,
  type GetVolumeTransfersResult,
  type GetVolumeTransfersTransfer,
  getVolumeTransfer,
  getVolumeTransferOutput,
  getVolumeTransfers,
  getVolumeTransfersOutput,
} from "./volume-transfers";
export {
  type GetServerConsoleLogArgs,
  type GetServerConsoleLogOutputArgs,
  type GetServerConsoleLogResult,
  type GetServerPasswordArgs,
  type GetServerPasswordOutputArgs,
  type GetServerPasswordResult,
  getServerConsoleLog,
  getServerConsoleLogOutput,
  getServerPassword,
  getServerPasswordOutput,
} from "./server-console";
