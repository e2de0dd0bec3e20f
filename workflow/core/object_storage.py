"""S3-compatible object storage for evidence files (``STORAGE_BACKEND=s3``), through boto3.

Objects are named ``<prefix><sha256>`` and carry the file's type; each is uploaded from a
checked staging file and its size and SHA-256 confirmed by the server (S3's own
SHA-256 checksum) before the upload counts. An object appears only once its upload is
complete, so an upload that fails half-way leaves none. Imported only when configured:
boto3 is slow to load and the folder store does not need it.
"""

import base64
import tempfile
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

import boto3
from botocore.config import Config as BotoConfig
from botocore.exceptions import BotoCoreError, ClientError

from workflow.core.errors import MissingFile, StorageFull, StorageUnavailable
from workflow.core.storage import DIGEST, Kept

NOT_FOUND = {"404", "NoSuchKey", "NotFound"}
# How S3-compatible servers say they have no room: MinIO's drives, Ceph's quotas, WebDAV's 507.
FULL = {"XMinioStorageFull", "QuotaExceeded", "InsufficientStorage", "507"}


class S3Store:
    def __init__(self, bucket: str, prefix: str = "evidence/", client=None):
        self.bucket, self.prefix, self.client = bucket, prefix, client

    @classmethod
    def from_config(cls, config) -> "S3Store":
        if not config.get("S3_BUCKET"):
            raise ValueError("STORAGE_BACKEND=s3 needs S3_BUCKET")
        credentials = {}
        if config.get("S3_ACCESS_KEY_ID"):
            credentials = {
                "aws_access_key_id": config["S3_ACCESS_KEY_ID"],
                "aws_secret_access_key": config["S3_SECRET_ACCESS_KEY"],
            }
        client = boto3.client(
            "s3",
            endpoint_url=config.get("S3_ENDPOINT_URL") or None,
            region_name=config.get("S3_REGION") or "eu-west-2",
            config=BotoConfig(
                retries={"max_attempts": 3, "mode": "standard"},
                connect_timeout=5,
                read_timeout=60,
                s3={"addressing_style": "path"},
            ),
            **credentials,
        )
        return cls(config["S3_BUCKET"], config.get("S3_PREFIX", "evidence/"), client)

    def __repr__(self) -> str:
        return f"s3 bucket {self.bucket}/{self.prefix}"

    def key(self, sha256: str) -> str:
        return f"{self.prefix}{sha256}"

    def staging_folder(self) -> Path:
        return Path(tempfile.gettempdir())

    def put(self, sha256: str, staged: Path, content_type: str) -> None:
        if self.exists(sha256):
            # Content-addressed: the same bytes are already there. Written afresh in place,
            # so the storage sweep never takes an old unnamed copy just as a row names it.
            self._rewrite(sha256, content_type)
            return
        checksum = base64.b64encode(bytes.fromhex(sha256)).decode()
        try:
            with staged.open("rb") as body:
                # One PutObject: the server checks the SHA-256 and stores all or nothing.
                self.client.put_object(
                    Bucket=self.bucket,
                    Key=self.key(sha256),
                    Body=body,
                    ContentType=content_type,
                    ChecksumSHA256=checksum,
                    Metadata={"sha256": sha256},
                )
        except ClientError as error:
            raise _refusal(error) from error
        except BotoCoreError as error:
            raise StorageUnavailable() from error

    def _rewrite(self, sha256: str, content_type: str) -> None:
        try:
            self.client.copy_object(
                Bucket=self.bucket,
                Key=self.key(sha256),
                CopySource={"Bucket": self.bucket, "Key": self.key(sha256)},
                MetadataDirective="REPLACE",
                ContentType=content_type,
                Metadata={"sha256": sha256},
            )
        except ClientError as error:
            raise _refusal(error) from error
        except BotoCoreError as error:
            raise StorageUnavailable() from error

    def exists(self, sha256: str) -> bool:
        try:
            self.client.head_object(Bucket=self.bucket, Key=self.key(sha256))
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in NOT_FOUND:
                return False
            raise StorageUnavailable() from error
        except BotoCoreError as error:
            raise StorageUnavailable() from error
        return True

    def open(self, sha256: str) -> BinaryIO:
        """The object's body, streamed from the server as it is read."""
        try:
            answer = self.client.get_object(Bucket=self.bucket, Key=self.key(sha256))
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in NOT_FOUND:
                raise MissingFile(sha256) from None
            raise StorageUnavailable() from error
        return answer["Body"]

    def digests(self) -> Iterator[str]:
        for kept in self.listing():
            yield kept.sha256

    def listing(self) -> Iterator[Kept]:
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=self.prefix
        )
        try:
            for page in pages:
                for item in page.get("Contents", []):
                    digest = item["Key"][len(self.prefix) :]
                    if DIGEST.fullmatch(digest):
                        yield Kept(digest, item["Size"], item["LastModified"])
        except (BotoCoreError, ClientError) as error:
            raise StorageUnavailable() from error

    def remove(self, sha256: str, written_before: datetime) -> bool:
        """Delete the object if it was still last written before then (see put)."""
        try:
            head = self.client.head_object(Bucket=self.bucket, Key=self.key(sha256))
            if head["LastModified"] >= written_before:
                return False
            self.client.delete_object(Bucket=self.bucket, Key=self.key(sha256))
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in NOT_FOUND:
                return False
            raise StorageUnavailable() from error
        except BotoCoreError as error:
            raise StorageUnavailable() from error
        return True

    def check(self) -> None:
        self.client.head_bucket(Bucket=self.bucket)


def _refusal(error: ClientError) -> StorageFull | StorageUnavailable:
    answer = error.response
    said = {
        answer.get("Error", {}).get("Code"),
        str(answer.get("ResponseMetadata", {}).get("HTTPStatusCode")),
    }
    return StorageFull() if said & FULL else StorageUnavailable()
