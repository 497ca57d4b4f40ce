"""Artifacts (artifacts.ru.md): multipart upload, listing, description edit, delete."""

from __future__ import annotations

import httpx

from resumesync.sandbox import RunningSandbox, response_errors

from .support import BACKEND

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


def upload(
    client: httpx.Client, kind: str, content: bytes = PNG, description: str | None = None
) -> httpx.Response:
    data = {"type": kind} if description is None else {"type": kind, "description": description}
    return client.post("/artifacts", data=data, files={"file": ("image.png", content, "image/png")})


def test_upload_list_edit_and_delete(client: httpx.Client, sandbox: RunningSandbox) -> None:
    photo = upload(client, "photo", JPEG)
    assert photo.status_code == 201
    assert response_errors("load-artifact", 201, photo.json()) == []
    work = upload(client, "portfolio", PNG, "A dashboard I built").json()
    assert work["description"] == "A dashboard I built"
    assert sandbox.requests[-1].body["file"] == {"filename": "image.png", "size": len(PNG)}

    portfolio = client.get("/artifacts/portfolio").json()
    assert response_errors("get-artifacts-portfolio", 200, portfolio) == []
    assert [item["id"] for item in portfolio["items"]] == [work["id"]]
    photos = client.get("/artifacts/photo").json()
    assert response_errors("get-artifact-photos", 200, photos) == []
    assert [item["id"] for item in photos["items"]] == [photo.json()["id"]]

    edited = client.put(
        f"/artifacts/{work['id']}",
        data={"description": "Grafana boards"},
        files={"unused": ("x", b"", "text/plain")},
    )
    assert edited.status_code == 204
    assert client.get("/artifacts/portfolio").json()["items"][0]["description"] == (
        "Grafana boards"
    )

    assert client.delete(f"/artifacts/{work['id']}").status_code == 204
    assert client.get("/artifacts/portfolio").json()["items"] == []
    assert client.delete(f"/artifacts/{work['id']}").status_code == 404


def test_listed_images_carry_only_the_documented_keys(client: httpx.Client) -> None:
    """artifacts.ru.md: id, state, small, medium, and a description only for portfolio."""
    upload(client, "photo")
    upload(client, "portfolio", description="Boards")
    photo = client.get("/artifacts/photo").json()["items"][0]
    work = client.get("/artifacts/portfolio").json()["items"][0]
    assert sorted(photo) == ["id", "medium", "small", "state"]
    assert sorted(work) == ["description", "id", "medium", "small", "state"]


def test_resumes_use_uploaded_images_until_they_are_deleted(client: httpx.Client) -> None:
    photo_id = upload(client, "photo").json()["id"]
    assert client.put(f"/resumes/{BACKEND}", json={"photo": {"id": photo_id}}).status_code == 204
    photo = client.get(f"/resumes/{BACKEND}").json()["photo"]
    assert photo["id"] == photo_id
    assert photo["small"].startswith("https://")
    client.delete(f"/artifacts/{photo_id}")
    assert client.get(f"/resumes/{BACKEND}").json()["photo"] is None


def test_bad_uploads_are_refused(client: httpx.Client) -> None:
    cases = [
        (upload(client, "avatar"), "type"),
        (upload(client, "photo", b"GIF89a..."), "unknown_format"),
        (client.post("/artifacts", data={"type": "photo"}), "file"),
    ]
    for response, value in cases:
        assert response.status_code == 400
        assert response.json()["errors"] == [{"type": "artifacts", "value": value}]
    assert client.get("/artifacts/photo").json()["found"] == 0
