"""Inventory of an AWS account: SNS topics and DynamoDB items, written to a CSV report.

Run `awslint examples/` to see one finding of each kind this script contains.
"""
import csv
import sys

import boto3


def list_topic_arns(region, topic_arns=[]):  # expect: AWS301
    """Every SNS topic ARN in `region`."""
    sns = boto3.client("sns", region_name=region)
    for page in sns.get_paginator("list_topics").paginate():
        for topic in page["Topics"]:
            topic_arns.append(topic["TopicArn"])
    return topic_arns


def count_items(table_name):
    """How many items the DynamoDB table holds."""
    dynamodb = boto3.client("dynamodb")
    response = dynamodb.scan(TableName=table_name, Select="COUNT")  # expect: AWS201
    return response["Count"]


def write_report(path, rows):
    report = open(path, "w", newline="")  # expect: AWS101
    if not rows:
        return 0
    writer = csv.writer(report)
    writer.writerow(["kind", "name", "count"])
    writer.writerows(rows)
    report.close()
    return len(rows)


def main(argv):
    region, table_name, path = argv[1:4]
    rows = [("topic", arn, 1) for arn in list_topic_arns(region)]
    rows.append(("table", table_name, count_items(table_name)))
    written = write_report(path, rows)
    print(f"wrote {written} rows to {path}")


if __name__ == "__main__":
    main(sys.argv)
