"""Deploy helpers for scripts/deploy.sh, run with the SAM CLI's Python (boto3 comes with it).

  python infra/deploy.py overrides STAGE      prints --parameter-overrides for the stage:
                                              infra/parameters/STAGE.json with every
                                              *SecretArn given as a secret name resolved to
                                              its full ARN (IAM needs the random suffix)
  python infra/deploy.py dashboard STACK      uploads dashboard/dist to the stack's bucket,
                                              writes config.json naming the API and the
                                              chat widget's API, and invalidates the
                                              files that keep their names
"""

import json
import mimetypes
import pathlib
import shlex
import sys
import time

import boto3

ROOT = pathlib.Path(__file__).resolve().parent.parent


def overrides(stage: str) -> None:
    params = json.loads((ROOT / "infra" / "parameters" / f"{stage}.json").read_text())
    secrets = boto3.client("secretsmanager")
    out = []
    for key, value in params.items():
        if key.endswith("SecretArn") and value and not value.startswith("arn:"):
            value = secrets.describe_secret(SecretId=value)["ARN"]
        out.append(f"{key}={value}")
    print(" ".join(shlex.quote(o) for o in out))


def outputs(stack: str) -> dict:
    cf = boto3.client("cloudformation")
    desc = cf.describe_stacks(StackName=stack)["Stacks"][0]
    return {o["OutputKey"]: o["OutputValue"] for o in desc.get("Outputs", [])}


def dashboard(stack: str) -> None:
    out = outputs(stack)
    bucket, dist_id, api = out["DashboardBucketName"], out["DashboardDistributionId"], out["ApiUrl"]
    s3 = boto3.client("s3")
    dist = ROOT / "dashboard" / "dist"
    for path in sorted(p for p in dist.rglob("*") if p.is_file()):
        key = path.relative_to(dist).as_posix()
        if key == "config.json":
            continue
        kind = mimetypes.guess_type(key)[0] or "application/octet-stream"
        s3.upload_file(str(path), bucket, key, ExtraArgs={"ContentType": kind})
        print(f"uploaded {key}")
    s3.put_object(
        Bucket=bucket,
        Key="config.json",
        Body=json.dumps({"api_base": api, "chat_api_base": out["ChatApiUrl"]}).encode(),
        ContentType="application/json",
    )
    boto3.client("cloudfront").create_invalidation(
        DistributionId=dist_id,
        InvalidationBatch={
            "Paths": {"Quantity": 3, "Items": ["/index.html", "/config.json", "/widget.js"]},
            "CallerReference": str(time.time()),
        },
    )
    print(f"dashboard: {out['DashboardUrl']} (API {api})")


if __name__ == "__main__":
    {"overrides": overrides, "dashboard": dashboard}[sys.argv[1]](sys.argv[2])
