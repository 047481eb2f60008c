import { openTr34KeyBlock, type OpenTr34Options } from '@paycrypt/tr34';
import { describeKey, type OpenedKeyBlock, type ServiceKeyCheckValue } from './key-block.js';

/**
 * Open a TR-34 key block the service exported (ExportKey with Tr34KeyBlock) with the receiving
 * side's private key and certificates — @paycrypt/tr34 checks the KDH signature and chain before
 * any decryption — and report header, KCV and whether it equals the service's KCV. The clear key
 * is wiped before return. Engine packages only.
 */
export interface OpenedTr34Export extends OpenedKeyBlock {
  /** 'X9_TR34_2012' for what AWS builds */
  layout: string;
  mode: 'one-pass' | 'two-pass';
}

export async function openExportedTr34KeyBlock(token: string | Uint8Array, options: OpenTr34Options, service?: ServiceKeyCheckValue): Promise<OpenedTr34Export> {
  const opened = await openTr34KeyBlock(token, options);
  return { ...describeKey(opened.header, opened.key, service), layout: opened.layout, mode: opened.mode };
}
