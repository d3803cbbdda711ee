"""The theme's static files under names that carry their content's digest."""

import hashlib

from policy_site.assets import Assets


def test_an_asset_is_named_by_its_content_and_a_change_is_a_new_name(tmp_path):
    css = tmp_path / "static" / "css" / "site.css"
    css.parent.mkdir(parents=True)
    css.write_bytes(b"body { color: #000 }")
    before = Assets(tmp_path)
    digest = hashlib.sha256(css.read_bytes()).hexdigest()[:10]
    assert before.url("css/site.css") == f"theme/assets/site.{digest}.css"
    assert before.files == {before.url("css/site.css"): b"body { color: #000 }"}
    css.write_bytes(b"body { color: #111 }")
    assert Assets(tmp_path).url("css/site.css") != before.url("css/site.css")
