"""An order pipeline: SQS messages in, DynamoDB items out, a report built by an external tool.

Run `awslint examples/` to see one finding of each kind this module contains.
"""
import logging
import subprocess
import time

import boto3

log = logging.getLogger(__name__)
dynamodb = boto3.client("dynamodb")
cloudformation = boto3.client("cloudformation")


def save_orders(orders):
    """Write the orders in one batch."""
    requests = [{"PutRequest": {"Item": order}} for order in orders]
    dynamodb.batch_write_item(RequestItems={"orders": requests})  # expect: AWS203


def wait_for_stack(name):
    """Block until the stack exists."""
    while True:
        stack = cloudformation.describe_stacks(StackName=name)["Stacks"][0]  # expect: AWS204
        if stack["StackStatus"] == "CREATE_COMPLETE":
            return stack
        time.sleep(15)


def drop_cancelled(orders):
    """Remove the cancelled orders from the caller's list."""
    for order in orders:
        if order["status"] == "cancelled":
            orders.remove(order)  # expect: AWS503
    return orders


def render_report(path):
    """Run the report tool; give up after a minute."""
    proc = subprocess.Popen(["report-tool", path], stdout=subprocess.PIPE)
    try:
        out, _ = proc.communicate(timeout=60)  # expect: AWS105
    except subprocess.TimeoutExpired:
        log.warning("report tool timed out for %s", path)
        return None
    return out


def archive(path):
    """Best-effort upload of the report."""
    try:
        boto3.client("s3").upload_file(path, "reports", path)
    except Exception:  # expect: AWS501
        pass
