"""Data the rules read: the boto3 pagination table and the resource catalogue."""
