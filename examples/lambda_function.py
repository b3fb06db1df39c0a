"""A Lambda function that converts an uploaded video with ffmpeg and stores the result in S3."""
import json
import os
import shlex
import subprocess

import boto3

s3 = boto3.client("s3")
SETTINGS = json.load(open(os.path.join(os.path.dirname(__file__), "settings.json")))  # expect: AWS103


def lambda_handler(event, context):
    record = event["Records"][0]["s3"]
    bucket = record["bucket"]["name"]
    key = record["object"]["key"]
    source = f"/tmp/{os.path.basename(key)}"
    target = source.rsplit(".", 1)[0] + ".mp4"
    s3.download_file(bucket, key, source)

    quality = event.get("quality", SETTINGS["quality"])
    command = f"ffmpeg -y -i {shlex.quote(source)} -crf {quality} {shlex.quote(target)}"
    subprocess.run(command, shell=True, check=True)  # expect: AWS401

    s3.upload_file(target, SETTINGS["output_bucket"], os.path.basename(target))
    return {"statusCode": 200, "body": json.dumps({"converted": key})}
