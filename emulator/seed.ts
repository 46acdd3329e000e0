/** The catalogue every emulator starts with: standard images, server types, volume types. */
import { COLLECTIONS } from "./collections";
import type { Store } from "./store";

const IMAGES = [
  {
    id: "70a599e0-31e7-49b7-b260-868f441e862b",
    name: "Rocky Linux 9.4",
    os_distro: "rocky",
    scp_os_version: "9.4",
    created_at: "2025-06-01T00:00:00Z",
  },
  {
    id: "b3c6e1f2-0a4d-4e8f-9b1c-2d3e4f5a6b7c",
    name: "Ubuntu 22.04",
    os_distro: "ubuntu",
    scp_os_version: "22.04",
    created_at: "2025-03-01T00:00:00Z",
  },
  {
    id: "c4d7f203-1b5e-4f90-8c2d-3e4f5a6b7c8d",
    name: "Ubuntu 24.04",
    os_distro: "ubuntu",
    scp_os_version: "24.04",
    created_at: "2025-09-01T00:00:00Z",
  },
  {
    id: "d5e80314-2c6f-4a01-9d3e-4f5a6b7c8d9e",
    name: "Windows Server 2022",
    os_distro: "windows",
    scp_os_version: "2022",
    created_at: "2025-05-01T00:00:00Z",
  },
];

const SERVER_TYPES: [string, number, number][] = [
  ["s1v1m2", 1, 2],
  ["s1v2m4", 2, 4],
  ["s1v2m8", 2, 8],
  ["s1v4m8", 4, 8],
  ["s1v4m16", 4, 16],
  ["s1v8m16", 8, 16],
  ["s1v8m32", 8, 32],
  ["s1v16m64", 16, 64],
];

const VOLUME_TYPES = [
  {
    id: "c643ac35-3aec-43e6-b97a-3d6f666c5207",
    name: "SSD",
    description: "SSD block storage",
    extra_specs: { multiattach: "<is> False" },
    _is_default: true,
  },
  {
    id: "d754bd46-4bfd-44f7-a08b-4e7f777d6318",
    name: "HDD",
    description: "HDD block storage",
    extra_specs: { multiattach: "<is> False" },
    _is_default: false,
  },
  {
    id: "e865ce57-5c0e-4508-b19c-5f80888e7429",
    name: "SSD_Encrypted",
    description: "Encrypted SSD block storage",
    extra_specs: { multiattach: "<is> False" },
    _is_default: false,
  },
];

export function seedCatalog(store: Store): void {
  for (const image of IMAGES) {
    store.put(COLLECTIONS.images, {
      ...image,
      checksum: "7538e0fcb56e0e272cfd89eb384d6613",
      container_format: "bare",
      disk_format: "qcow2",
      min_disk: 100,
      min_ram: 0,
      os_hidden: false,
      protected: true,
      scp_image_type: "standard",
      scp_original_image_type: "standard",
      size: 2429747200,
      status: "active",
      updated_at: image.created_at,
      visibility: "public",
    });
  }
  for (const [id, vcpus, ram] of SERVER_TYPES) {
    store.put(COLLECTIONS.serverTypes, {
      id,
      name: id,
      vcpus,
      ram,
      disk: 100,
      ephemeral: 0,
      swap: 0,
      extra_specs: "",
      description: `${vcpus} vCPU, ${ram} GB`,
    });
  }
  for (const type of VOLUME_TYPES) store.put(COLLECTIONS.volumeTypes, type);
}
