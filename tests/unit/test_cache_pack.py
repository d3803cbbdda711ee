"""The cache's pack: what a build wrote reads back byte for byte; a pack that is not one,
or an entry whose bytes are not those its index names, holds nothing; no file in the
pack's place makes a build wait, follow a link or stop."""

import hashlib
import json
import os
import signal

import pytest

from policy_site.cache_pack import MARK, NewPack, Pack


def written(path, entries, used=()):
    pack = NewPack(str(path))
    for name, data in entries.items():
        pack.add(name, data)
    pack.save(Pack(None), set(used))
    return path


def test_what_a_build_wrote_reads_back(tmp_path):
    entries = {"text/a": b'{"html": "<p>A</p>"}', "redline/b": b"{}", "text/c": "é".encode()}
    pack = Pack(written(tmp_path / "entries.pack", entries))
    assert {name: pack.get(name) for name in entries} == entries
    assert pack.get("text/none") is None
    assert os.listdir(tmp_path) == ["entries.pack"]  # nothing left beside it


def test_an_entry_changed_in_place_is_not_there(tmp_path):
    path = written(tmp_path / "entries.pack", {"text/a": b'{"html": "<p>A</p>"}'})
    path.write_bytes(path.read_bytes().replace(b"<p>A", b"<p>B", 1))
    assert Pack(path).get("text/a") is None


def _pack(index, data=b"data"):
    index = index if isinstance(index, bytes) else json.dumps(index).encode()
    return data + index + b"%016d" % len(data) + MARK


SHA = hashlib.sha256(b"data").hexdigest()
HOSTILE = {
    "an index that is a list": _pack([[0, 4, 0, SHA]]),
    "a place past the data": _pack({"a": [2, 4, 0, SHA]}),
    "a negative place": _pack({"a": [-1, 4, 0, SHA]}),
    "a length of true": _pack({"a": [0, True, 0, SHA]}),
    "a float": _pack({"a": [0.0, 4, 0, SHA]}),
    "a huge length": _pack({"a": [0, 10**30, 0, SHA]}),
    "three numbers": _pack({"a": [0, 4, 0]}),
    "an index nested deep": _pack(b"[" * 200000 + b"]" * 200000),
    "an index not UTF-8": _pack(b'{"a": "\xff"}'),
    "an index's place past the end": b"data" + b"%016d" % 99 + MARK,
    "no mark": b"data" * 10,
    "empty": b"",
}


@pytest.mark.parametrize("content", HOSTILE.values(), ids=HOSTILE.keys())
def test_a_pack_that_is_not_one_holds_nothing(tmp_path, content):
    path = tmp_path / "entries.pack"
    path.write_bytes(content)
    pack = Pack(path)
    assert pack.index == {} and pack.get("a") is None


class Waited(Exception):
    """The pack's place was waited on."""


@pytest.mark.parametrize("kind", ["pipe", "folder", "link"])
def test_no_file_in_the_packs_place_is_waited_on_or_followed(tmp_path, kind):
    path = tmp_path / "entries.pack"
    if kind == "pipe":
        os.mkfifo(path)
    elif kind == "folder":
        path.mkdir()
    else:
        path.symlink_to(written(tmp_path / "elsewhere.pack", {"a": b"{}"}))

    def waited(*_args):
        raise Waited  # not an OSError, which the pack would take for no pack

    before = signal.signal(signal.SIGALRM, waited)
    signal.alarm(10)  # a pipe opened to be read waits for a writer: fail, do not hang
    try:
        pack = Pack(path)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, before)
    assert pack.index == {}


def test_a_pack_saved_or_discarded_takes_no_more_entries(tmp_path):
    saved = NewPack(str(tmp_path / "entries.pack"))
    saved.add("a", b"{}")
    saved.save(Pack(None), set())
    saved.add("b", b"{}")
    assert saved.get("a") is None and Pack(tmp_path / "entries.pack").index.keys() == {"a"}
    discarded = NewPack(str(tmp_path / "other.pack"))
    discarded.add("a", b"{}")
    discarded.discard()
    discarded.save(Pack(None), set())
    assert sorted(os.listdir(tmp_path)) == ["entries.pack"]
