"""Big, valid, deterministic accounts for benchmarks: Account.synthetic(...)."""

from __future__ import annotations

import copy
import hashlib
import random
from typing import Any

from resumesync.sandbox import resources
from resumesync.sandbox.account import LIST_LIMIT, Account

TEMPLATE_ID = "7f3c9a1e5b2d4c6e8a0f1b3d5e7a9c2e4f6a8b"  # the example backend resume
PUBLISHED_AT = 1_735_689_600.0  # 2025-01-01: long enough ago to be renewable
SKILLS = (
    "Python",
    "Go",
    "Rust",
    "Java",
    "Kotlin",
    "SQL",
    "PostgreSQL",
    "Redis",
    "Kafka",
    "Docker",
    "Kubernetes",
    "Terraform",
    "Linux",
    "gRPC",
    "GraphQL",
    "React",
)


def resume_id(seed: int, index: int) -> str:
    """38 hex digits, like hh.ru resume ids; the same for the same seed and index."""
    return hashlib.sha1(f"resumesync-synthetic-{seed}-{index}".encode()).hexdigest()[:38]


def synthetic_account(n_resumes: int, list_size: int, seed: int) -> Account:
    if not 0 <= list_size <= LIST_LIMIT:
        raise ValueError(f"list_size must be between 0 and {LIST_LIMIT}")
    rng = random.Random(seed)
    template = resources.load(resources.EXAMPLE_ACCOUNT)["resumes"][TEMPLATE_ID]
    data: dict[str, Any] = {"resumes": {}, "resume_state": {}, "lists": {}}
    for index in range(n_resumes):
        rid = resume_id(seed, index)
        document = copy.deepcopy(template)
        document["title"] = f"Software engineer {index + 1}"
        document["salary"] = {"amount": 150_000 + 5_000 * rng.randrange(60), "currency": "RUR"}
        document["skill_set"] = rng.sample(SKILLS, 6)
        document["access"] = {"type": {"id": ("blacklist", "whitelist")[index % 2]}}
        data["resumes"][rid] = document
        data["resume_state"][rid] = {
            "status": "published",
            "blocked": False,
            "created_at": PUBLISHED_AT - 86_400,
            "updated_at": PUBLISHED_AT,
            "next_publish_at": PUBLISHED_AT + 4 * 3600,
            "total_views": 0,
            "new_views": 0,
        }
        employers = [
            str(employer) for employer in rng.sample(range(10_000, 9_999_999), 2 * list_size)
        ]
        data["lists"][rid] = {
            "blacklist": employers[:list_size],
            "whitelist": employers[list_size:],
        }
    return Account.from_json(data)
