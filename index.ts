/**
 * Pulumi resources for the Samsung Cloud Platform (SCP) Virtual Server API.
 *
 * Resources are dynamic-provider resources: their implementation is loaded from this installed package
 * in the provider process, configured from the stack config `scp:*`, the environment or `~/.scpconf`.
 */
export { Keypair, type KeypairArgs } from "./resources/keypair";
export { Volume, type VolumeArgs } from "./resources/volume";
export { VolumeAttachment, type VolumeAttachmentArgs } from "./resources/volume-attachment";
export { Snapshot, type SnapshotArgs } from "./resources/snapshot";
export { ServerGroup, type ServerGroupArgs } from "./resources/server-group";
export { VirtualServer, type VirtualServerArgs, type NetworkArgs } from "./resources/virtual-server";
export { LaunchConfiguration, type LaunchConfigurationArgs } from "./resources/launch-configuration";
export * from "./lookups";
export { ScpApiError, ScpSettingsError } from "./provider/errors";
export type { ScpSettings } from "./provider/settings";
export type { ArgObject, ArgValue, ArgsOf, ProviderArg, Timeouts } from "./provider/resource-class";
export { Provider, type ProviderArgs } from "./provider/explicit-provider";
export { WaitFailedError, WaitTimeoutError } from "./provider/waiter";
export { AutoScalingGroup, type AutoScalingGroupArgs } from "./resources/auto-scaling-group";
export { AutoScalingPolicy, type AutoScalingPolicyArgs } from "./resources/auto-scaling-policy";
export { AutoScalingSchedule, type AutoScalingScheduleArgs } from "./resources/auto-scaling-schedule";
export { AutoScalingNotification, type AutoScalingNotificationArgs } from "./resources/auto-scaling-notification";
export { VolumeTransfer, type VolumeTransferArgs } from "./resources/volume-transfer";
export { VolumeTransferAcceptance, type VolumeTransferAcceptanceArgs } from "./resources/volume-transfer-accept";
export { Image, type ImageArgs } from "./resources/image";
export { ImageMember, type ImageMemberArgs } from "./resources/image-member";
export { ImageMemberAcceptance, type ImageMemberAcceptanceArgs } from "./resources/image-member-acceptance";
export { ServerInterface, type ServerInterfaceArgs, type PrivateNatArgs } from "./resources/server-interface";
export {
  ActivationState,
  ComparisonOperator,
  DayOfWeek,
  ImageMemberDecision,
  ImageVisibility,
  MetricMethod,
  MetricType,
  NotificationEvent,
  PowerState,
  ProductCategory,
  ProductOffering,
  ScaleMethod,
  ScaleType,
  ScheduleFrequency,
  SecurityGroupUpdate,
  ServerGroupPolicy,
} from "./resources/enums";
