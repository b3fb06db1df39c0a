"""Batch removals whose failures the next call brings to light: the children of one parent are removed
in a batch, then the parent itself is deleted, and AWS refuses to delete a parent that still has
children. An item the batch could not remove then fails the deletion loudly (EventBridge's
`delete_rule` answers `ValidationException` while the rule has targets; S3's `delete_bucket`,
`BucketNotEmpty`; ECR's `delete_repository`, `RepositoryNotEmptyException` unless `force=True`), so
the dropped failure member loses nothing in silence.

Curated by hand from the AWS API references named in each row; read by AWS203 only.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class EmptiedBeforeDelete:
    """`service`'s `batch` removes children of the parent named by its `parent` keyword; `delete`
    deletes that parent, named by its `delete_parent` keyword, and refuses while children remain
    (unless one of `forcing` is passed as true)."""

    service: str
    batch: str
    parent: str
    delete: str
    delete_parent: str
    forcing: tuple[str, ...]
    source: str


ROWS: tuple[EmptiedBeforeDelete, ...] = (
    EmptiedBeforeDelete(
        "events", "remove_targets", "Rule", "delete_rule", "Name", (),
        "https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_DeleteRule.html",
    ),
    EmptiedBeforeDelete(
        "s3", "delete_objects", "Bucket", "delete_bucket", "Bucket", (),
        "https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteBucket.html",
    ),
    EmptiedBeforeDelete(
        "ecr", "batch_delete_image", "repositoryName", "delete_repository", "repositoryName", ("force",),
        "https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_DeleteRepository.html",
    ),
)


def emptied_before(service: str, batch: str) -> EmptiedBeforeDelete | None:
    return next((r for r in ROWS if r.service == service and r.batch == batch), None)
