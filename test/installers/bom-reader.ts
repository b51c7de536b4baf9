// Reads the paths of a macOS Bom by walking the layout documented in
// installers/macos/BOM-FORMAT.md, independently of the writer.

export interface BomPath {
  path: string;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  checksum?: number;
}

/** Every path of the Bom's Paths tree (one leaf node), with its metadata. */
export function readBomPaths(bom: Buffer): BomPath[] {
  if (bom.subarray(0, 8).toString('latin1') !== 'BOMStore') throw new Error('not a BOMStore file');
  const indexOffset = bom.readUInt32BE(16);
  const varsOffset = bom.readUInt32BE(24);
  const block = (i: number) => {
    const at = indexOffset + 4 + i * 8;
    return bom.subarray(bom.readUInt32BE(at), bom.readUInt32BE(at) + bom.readUInt32BE(at + 4));
  };
  let pathsTree = 0;
  for (let n = bom.readUInt32BE(varsOffset), at = varsOffset + 4; n > 0; n--) {
    const index = bom.readUInt32BE(at);
    const len = bom.readUInt8(at + 4);
    if (bom.subarray(at + 5, at + 5 + len).toString('latin1') === 'Paths') pathsTree = index;
    at += 5 + len;
  }
  const treeBlock = block(pathsTree);
  if (treeBlock.subarray(0, 4).toString('latin1') !== 'tree') throw new Error('Paths is not a tree');
  const node = block(treeBlock.readUInt32BE(8));
  const names = new Map<number, { parent: number; name: string }>();
  const out: BomPath[] = [];
  const full = (id: number): string => {
    const n = names.get(id)!;
    return n.parent === 0 ? n.name : `${full(n.parent)}/${n.name}`;
  };
  for (let i = 0; i < node.readUInt16BE(2); i++) {
    const key = block(node.readUInt32BE(12 + i * 8));
    const value = block(node.readUInt32BE(16 + i * 8));
    const id = key.readUInt32BE(0);
    names.set(id, { parent: value.readUInt32BE(0), name: value.subarray(4, value.indexOf(0, 4)).toString('utf8') });
    const meta = block(key.readUInt32BE(4));
    out.push({
      path: full(id), mode: meta.readUInt16BE(4), uid: meta.readUInt32BE(6), gid: meta.readUInt32BE(10), size: meta.readUInt32BE(18),
      checksum: meta.readUInt8(0) === 1 /* file */ ? meta.readUInt32BE(23) : undefined,
    });
  }
  return out;
}

