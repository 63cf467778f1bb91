"""The blog media rules: a stock-photo key's provider and key checked, a change of nothing
recorded as nothing, another organization's key not found; a post image's source and size
checked, and an image removed only from its own post of its own organization."""

from uuid import UUID, uuid4

import pytest

from domain.blog.media_events import PostImageAdded, PostImageRemoved, StockPhotoKeyChanged
from domain.blog.post_image import PostImage
from domain.blog.stock_photo_key import StockPhotoKey, check_api_key, check_provider
from domain.errors import InvalidCommandError, NotFoundError


def test_a_key_names_a_known_provider_and_has_no_spaces() -> None:
    assert check_provider(" Unsplash ") == "unsplash"
    assert check_api_key("  abc123  ") == "abc123"
    with pytest.raises(InvalidCommandError, match="provider"):
        check_provider("flickr")
    for bad in ("", "a b", "x" * 501):
        with pytest.raises(InvalidCommandError, match="api_key"):
            check_api_key(bad)


def test_a_key_change_of_nothing_records_nothing_and_another_org_finds_none() -> None:
    org = uuid4()
    key = StockPhotoKey(uuid4())
    key.add(org_id=org, provider="pexels", key_fingerprint="f1", is_active=True)
    assert not key.change(org, key_fingerprint="f1", is_active=True)
    assert key.change(org, key_fingerprint=None, is_active=False)
    assert isinstance(key.pending[-1], StockPhotoKeyChanged)
    assert (key.key_fingerprint, key.is_active) == ("f1", False)
    with pytest.raises(NotFoundError):
        key.change(uuid4(), key_fingerprint="f2", is_active=None)
    key.delete(org)
    with pytest.raises(NotFoundError):
        key.delete(org)


def _image(org: UUID, post: UUID) -> PostImage:
    image = PostImage(uuid4())
    image.add(org_id=org, project_id=uuid4(), post_id=post, source="upload",
              file_key="o/blog-images/x.png", file_size=10, mime="image/png", width=2,
              height=3, alt_text="  a   shirt ")
    return image


def test_an_image_is_removed_only_from_its_own_post_and_organization() -> None:
    org, post = uuid4(), uuid4()
    image = _image(org, post)
    added = image.pending[-1]
    assert isinstance(added, PostImageAdded) and added.alt_text == "a shirt"
    for other_org, other_post in ((uuid4(), post), (org, uuid4())):
        with pytest.raises(NotFoundError):
            image.remove(other_org, other_post)
    image.remove(org, post)
    removed = image.pending[-1]
    assert isinstance(removed, PostImageRemoved) and removed.file_key == "o/blog-images/x.png"
    with pytest.raises(NotFoundError):
        image.remove(org, post)


def test_an_image_source_and_size_are_checked() -> None:
    with pytest.raises(InvalidCommandError, match="source"):
        PostImage(uuid4()).add(org_id=uuid4(), project_id=uuid4(), post_id=uuid4(),
                               source="fax", file_key="k", file_size=1, mime="image/png",
                               width=1, height=1, alt_text="")
    with pytest.raises(InvalidCommandError, match="empty"):
        PostImage(uuid4()).add(org_id=uuid4(), project_id=uuid4(), post_id=uuid4(),
                               source="ai", file_key="k", file_size=0, mime="image/png",
                               width=1, height=1, alt_text="")
    with pytest.raises(InvalidCommandError, match="alt_text"):
        _image(uuid4(), uuid4()).add(org_id=uuid4(), project_id=uuid4(), post_id=uuid4(),
                                     source="ai", file_key="k", file_size=1,
                                     mime="image/png", width=1, height=1, alt_text="x" * 501)
