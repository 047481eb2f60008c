#!/usr/bin/env python3
"""The seed scenario with plain boto3, both planes, against an emulator endpoint.

    python3 packages/emulator/scripts/seed-scenario.py http://127.0.0.1:8443

1. control plane: create a KEK (TR31_K0, AES_256) and a CVK (TR31_C0, TDES_2KEY, Generate+Verify)
2. data plane: generate a CVV2 for a PAN / expiry with the CVK
3. control plane: export the CVK under the KEK as a TR-31 key block, import the block back
4. data plane: generate the CVV2 again with the imported key

Prints one JSON object: both CVV2s, both KCVs, the exported block and the ARNs. Nothing but boto3
talks to the emulator; the same script runs against AWS with real credentials and no argument.
"""
import json
import sys

import boto3
from botocore.config import Config

PAN = '4111111111111111'
EXPIRY = '1230'  # used verbatim (MMYY here), as AWS does


def clients(endpoint):
    kw = dict(region_name='us-east-1', config=Config(retries={'max_attempts': 1}))
    if endpoint:
        kw.update(endpoint_url=endpoint, aws_access_key_id='AKIDEXAMPLE', aws_secret_access_key='secret')
    return boto3.client('payment-cryptography', **kw), boto3.client('payment-cryptography-data', **kw)


def create_key(cp, usage, algorithm, modes):
    out = cp.create_key(
        Exportable=True,
        KeyAttributes={'KeyUsage': usage, 'KeyClass': 'SYMMETRIC_KEY', 'KeyAlgorithm': algorithm, 'KeyModesOfUse': modes},
    )
    return out['Key']


def cvv2(dp, key_arn):
    out = dp.generate_card_validation_data(
        KeyIdentifier=key_arn,
        PrimaryAccountNumber=PAN,
        GenerationAttributes={'CardVerificationValue2': {'CardExpiryDate': EXPIRY}},
    )
    return out['ValidationData'], out['KeyCheckValue']


def main():
    endpoint = sys.argv[1] if len(sys.argv) > 1 else None
    cp, dp = clients(endpoint)
    kek = create_key(cp, 'TR31_K0_KEY_ENCRYPTION_KEY', 'AES_256', {'Encrypt': True, 'Decrypt': True, 'Wrap': True, 'Unwrap': True})
    cvk = create_key(cp, 'TR31_C0_CARD_VERIFICATION_KEY', 'TDES_2KEY', {'Generate': True, 'Verify': True})
    first, first_kcv = cvv2(dp, cvk['KeyArn'])
    exported = cp.export_key(
        ExportKeyIdentifier=cvk['KeyArn'],
        KeyMaterial={'Tr31KeyBlock': {'WrappingKeyIdentifier': kek['KeyArn']}},
    )['WrappedKey']
    block = exported['KeyMaterial']
    imported = cp.import_key(
        KeyMaterial={'Tr31KeyBlock': {'WrappingKeyIdentifier': kek['KeyArn'], 'WrappedKeyBlock': block}},
    )['Key']
    second, second_kcv = cvv2(dp, imported['KeyArn'])
    print(json.dumps({
        'pan': PAN,
        'expiry': EXPIRY,
        'kekArn': kek['KeyArn'],
        'cvkArn': cvk['KeyArn'],
        'importedArn': imported['KeyArn'],
        'cvkKcv': cvk['KeyCheckValue'],
        'exportedKcv': exported.get('KeyCheckValue'),
        'importedKcv': imported['KeyCheckValue'],
        'cvv2Kcv': first_kcv,
        'cvv2ImportedKcv': second_kcv,
        'exportedBlock': block,
        'cvv2': first,
        'cvv2Imported': second,
    }))


if __name__ == '__main__':
    main()
