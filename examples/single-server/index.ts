// One server with a data volume attached and a snapshot of it.
import * as pulumi from "@pulumi/pulumi";
import * as scp from "pulumi-scp-virtualserver";

const config = new pulumi.Config();
const subnetId = config.get("subnetId") ?? "subnet-app";

// Lookups in their Output form: their results feed resource inputs without awaiting.
const image = scp.getImageOutput({ osDistro: "rocky", mostRecent: true });
const serverType = scp.getServerTypeOutput({ minVcpus: 2, minRamGb: 4 });

const key = new scp.Keypair("app-key", { name: "app-key" });

const server = new scp.VirtualServer("app", {
  name: "app-1",
  imageId: image.id,
  serverTypeId: serverType.id,
  keypairName: key.name,
  networks: [{ subnetId }],
  bootVolume: { size: 50, type: "SSD" },
  userData: "#!/bin/sh\nmkfs.xfs /dev/vdb && mkdir -p /data && mount /dev/vdb /data\n",
  tags: { app: "example" },
  timeouts: { create: "20m" },
});

const data = new scp.Volume("app-data", { name: "app-1-data", size: 100, volumeType: "SSD", deleteSnapshots: true });
const attachment = new scp.VolumeAttachment("app-data", { volumeId: data.id, serverId: server.id });
const nightly = new scp.Snapshot(
  "app-data-nightly",
  { volumeId: data.id, name: "app-1-data-nightly" },
  { dependsOn: [attachment] },
);

export const serverId = server.id;
export const privateIp = server.addresses.apply((a) => a[0]?.ipAddresses[0]);
export const dataDevice = attachment.device;
export const snapshotId = nightly.id;
export const sshKey = key.privateKey;
