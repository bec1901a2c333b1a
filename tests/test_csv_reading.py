"""A CSV whose first megabyte is UTF-8 goes straight to Arrow's parser; one that turns out
not to be (GBK lines further down, a stray byte) is read as before, each line in its own
encoding and the mix reported."""

from __future__ import annotations

from pathlib import Path

from benchmark.pipeline import check_files

HEAD = "企业名称,生产线,领域,单位产品能耗\n"
#: Lines enough to put what follows them beyond the first megabyte.
FILLER = 25_000


def plants(count: int, start: int = 0) -> str:
    return "".join(f"冀东水泥{i},1#,水泥熟料,{100 + i % 7}\n" for i in range(start, start + count))


def test_gbk_lines_beyond_the_first_megabyte_are_each_decoded(tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv"
    path.write_bytes(
        (HEAD + plants(FILLER)).encode("utf-8") + "华北水泥,2#,水泥熟料,110\n".encode("gbk")
    )
    assert len(HEAD + plants(FILLER)) * 2 > 1024 * 1024  # the GBK line is past the head
    checked = check_files([str(path)])
    assert [p.code for p in checked.problems] == ["E001"]
    assert "mixes text encodings: 1 line(s) in GBK" in checked.problems[0].message
    assert checked.problems[0].row == FILLER + 2
    assert checked.frame["enterprise"].iloc[-1] == "华北水泥" and len(checked.frame) == FILLER + 1


def test_a_stray_byte_beyond_the_first_megabyte_is_replaced_and_said(tmp_path: Path) -> None:
    path = tmp_path / "stray.csv"
    path.write_bytes(
        (HEAD + plants(FILLER)).encode() + b"\xff\xfe,1#,x,1\n" + plants(2, FILLER).encode()
    )
    checked = check_files([str(path)])
    assert [p.code for p in checked.problems][:1] == ["E001"]
    assert "neither UTF-8 nor GBK" in checked.problems[0].message
    assert len(checked.frame) == FILLER + 2


def test_utf8_read_directly_equals_the_checked_read(tmp_path: Path) -> None:
    """A large UTF-8 file (with a BOM) reads the same as when its text is checked first."""
    from benchmark.readers import csvfile

    path = tmp_path / "plants.csv"
    path.write_bytes(b"\xef\xbb\xbf" + (HEAD + plants(FILLER)).encode())
    direct = check_files([str(path)])
    real = csvfile._head_is_utf8
    try:
        csvfile._head_is_utf8 = lambda _text: False  # type: ignore[assignment]
        checked = check_files([str(path)])
    finally:
        csvfile._head_is_utf8 = real  # type: ignore[assignment]
    assert direct.frame.equals(checked.frame) and direct.problems == checked.problems == []
    assert direct.frame["enterprise"].iloc[0] == "冀东水泥0"
