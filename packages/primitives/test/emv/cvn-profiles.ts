import {
  EmvIssuerMasterKey,
  type EmvSchemeName,
  concatBytes,
  emvMac,
  generateArpc,
  hexToBytes,
  iso9564Format2PinBlock,
  iso9797Pad,
  smEncrypt,
  type SmEncryptionType,
  visaVisPinBlock,
} from '../../src/index.js';

/**
 * Test-side assembly of pyemv's CVN classes (pyemv/cvn.py @cf6b82d): which tags form the AC
 * data, how it is padded, and which of OUR scheme rules give each key. The engine MACs data as
 * given; the CVN decides the data. This is what a terminal / card personalisation would do.
 *
 * | CVN            | ICC MK        | AC key (scheme rule) | AC data extra | pad | ARPC (key)                 | SM key  | script MAC data        | SM enc     | PIN block |
 * |----------------|---------------|----------------------|---------------|-----|----------------------------|---------|------------------------|------------|-----------|
 * | Visa 10        | A             | Visa (ICC MK)        | CVR           | 1   | 1 (ICC MK = Visa ARPC)     | Visa    | hdr‖ATC‖ARQC‖data      | VISA       | VIS       |
 * | Visa 18        | B (A ≤ 16)    | EmvCommon            | 9F10          | 2   | 2 (AC SK = EmvCommon ARPC) | Visa    | hdr‖ATC‖ARQC‖data      | VISA       | VIS       |
 * | Visa 22        | B (A ≤ 16)    | EmvCommon            | 9F10          | 2   | 2 (AC SK)                  | EmvCommon (ARQC) | hdr‖ATC‖ARQC‖data | VISA   | ISO 2; VIS with current PIN |
 * | Interac 133    | A             | Mastercard (ATC‖UN)  | 9F10          | 2   | 1 (the AC session key)     | EmvCommon (ARQC) | hdr‖data      | MASTERCARD | ISO 2     |
 * | Mastercard 16  | A             | Mastercard           | CVR           | 2   | 1 (ICC MK = Mastercard ARPC) | Mastercard (ARQC) | hdr‖ATC‖ARQC‖data | MASTERCARD | ISO 2 |
 * | Mastercard 17  | A             | Mastercard           | CVR‖counters  | 2   | 1 (ICC MK)                 | Mastercard       | hdr‖ATC‖ARQC‖data | MASTERCARD | ISO 2 |
 * | Mastercard 20  | A             | EmvCommon            | CVR           | 2   | 1 (AC SK = EmvCommon ARPC) | Mastercard       | hdr‖ATC‖ARQC‖data | MASTERCARD | ISO 2 |
 * | Mastercard 21  | A             | EmvCommon            | CVR‖counters  | 2   | 1 (AC SK)                  | Mastercard       | hdr‖ATC‖ARQC‖data | MASTERCARD | ISO 2 |
 */
interface CvnProfile {
  acScheme: EmvSchemeName;
  acExtra: string[];
  acPadding: 1 | 2;
  arpcMethod: 1 | 2;
  /** 'ARPC': the scheme's ARPC key; 'ARQC': the AC session key even where AWS's scheme would use the ICC MK. */
  arpcKey: 'ARPC' | 'ARQC';
  smScheme: EmvSchemeName;
  macWithAtcArqc: boolean;
  smEncryption: SmEncryptionType;
  pinBlock: 'VIS' | 'ISO_2' | 'ISO_2_OR_VIS';
}

const V = (p: Partial<CvnProfile>): CvnProfile => ({
  acScheme: 'EmvCommon',
  acExtra: ['tag_9f10'],
  acPadding: 2,
  arpcMethod: 1,
  arpcKey: 'ARPC',
  smScheme: 'Mastercard',
  macWithAtcArqc: true,
  smEncryption: 'MASTERCARD',
  pinBlock: 'ISO_2',
  ...p,
});

export const CVN_PROFILES: Readonly<Record<string, CvnProfile>> = {
  VisaCVN10: V({ acScheme: 'Visa', acExtra: ['cvr'], acPadding: 1, smScheme: 'Visa', smEncryption: 'VISA', pinBlock: 'VIS' }),
  VisaCVN18: V({ arpcMethod: 2, smScheme: 'Visa', smEncryption: 'VISA', pinBlock: 'VIS' }),
  VisaCVN22: V({ arpcMethod: 2, smScheme: 'EmvCommon', smEncryption: 'VISA', pinBlock: 'ISO_2_OR_VIS' }),
  InteracCVN133: V({ acScheme: 'Mastercard', arpcKey: 'ARQC', smScheme: 'EmvCommon', macWithAtcArqc: false }),
  MasterCardCVN16: V({ acScheme: 'Mastercard', acExtra: ['cvr'] }),
  MasterCardCVN17: V({ acScheme: 'Mastercard', acExtra: ['cvr', 'counters'] }),
  MasterCardCVN20: V({ acExtra: ['cvr'] }),
  MasterCardCVN21: V({ acExtra: ['cvr', 'counters'] }),
};

const AC_TAGS = ['tag_9f02', 'tag_9f03', 'tag_9f1a', 'tag_95', 'tag_5f2a', 'tag_9a', 'tag_9c', 'tag_9f37', 'tag_82', 'tag_9f36'];

export interface CvnCard {
  iss_mk_ac: string;
  iss_mk_smi: string;
  iss_mk_smc: string;
  pan: string;
  psn: string | null;
}

/** Runs one pyemv CVN method through the engine; returns upper-case hex. */
export function runCvn(algorithm: string, card: CvnCard, args: Record<string, string | null>): string {
  const [, cvn, method] = algorithm.split('.') as [string, string, string];
  const p = CVN_PROFILES[cvn];
  if (p === undefined) throw new Error(`no CVN profile ${cvn}`);
  const h = (s: string | null | undefined) => hexToBytes(s ?? '');
  // pyemv's Option B falls back to A for PANs of 16 digits or fewer; the engine refuses B there
  const mode = (cvn === 'VisaCVN18' || cvn === 'VisaCVN22') && card.pan.length > 16 ? 'EMV_OPTION_B' : 'EMV_OPTION_A';
  const base = { pan: card.pan, panSequenceNumber: card.psn ?? '00', majorKeyDerivationMode: mode } as const;
  const imkAc = new EmvIssuerMasterKey(h(card.iss_mk_ac));
  const inputs = {
    atc: args.tag_9f36 ? h(args.tag_9f36) : undefined,
    unpredictableNumber: args.tag_9f37 ? h(args.tag_9f37) : undefined,
    applicationCryptogram: args.tag_9f26 ? h(args.tag_9f26) : undefined,
  };
  const sm = (imk: string) => new EmvIssuerMasterKey(h(imk)).sessionKey({ ...base, ...inputs, scheme: p.smScheme }, 'SECURE_MESSAGING');
  const macData = (header: Uint8Array, data: Uint8Array) =>
    p.macWithAtcArqc ? concatBytes(header, inputs.atc ?? new Uint8Array(0), inputs.applicationCryptogram!, data) : concatBytes(header, data);
  const out = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('').toUpperCase();
  switch (method) {
    case 'generate_ac': {
      const data = concatBytes(...[...AC_TAGS, ...p.acExtra].map((t) => h(args[t])));
      return out(imkAc.generateArqc({ ...base, ...inputs, scheme: p.acScheme, transactionData: iso9797Pad(data, 8, p.acPadding) }));
    }
    case 'generate_arpc': {
      const arqc = inputs.applicationCryptogram!;
      const request =
        p.arpcMethod === 1
          ? ({ method: 1, authResponseCode: h(args.arpc_rc) } as const)
          : ({ method: 2, cardStatusUpdate: h(args.csu), proprietaryAuthenticationData: h(args.proprietary_auth_data) } as const);
      if (p.arpcKey === 'ARPC') return out(imkAc.generateArpc({ ...base, ...inputs, scheme: p.acScheme }, arqc, request));
      const key = imkAc.sessionKey({ ...base, ...inputs, scheme: p.acScheme }, 'ARQC');
      return out(generateArpc(key, arqc, request));
    }
    case 'generate_command_mac':
      return out(emvMac(sm(card.iss_mk_smi), macData(h(args.command_header), h(args.command_data))));
    case 'encrypt_command_data':
      return out(smEncrypt(sm(card.iss_mk_smc), h(args.command_data), p.smEncryption));
    case 'generate_pin_change_command': {
      const current = args.current_pin ?? undefined;
      const vis = p.pinBlock === 'VIS' || (p.pinBlock === 'ISO_2_OR_VIS' && current !== undefined);
      const block = vis ? visaVisPinBlock(imkAc.iccMasterKey(base), args.pin!, current) : iso9564Format2PinBlock(args.pin!);
      const enc = smEncrypt(sm(card.iss_mk_smc), block, p.smEncryption);
      const header = new Uint8Array([0x84, 0x24, 0x00, current === undefined ? 0x02 : 0x01, 8 + enc.length]);
      return out(concatBytes(header, enc, emvMac(sm(card.iss_mk_smi), macData(header, enc))));
    }
    default:
      throw new Error(`no CVN method ${method}`);
  }
}
