"""Downloads bounded in time and size, against local servers started by the tests."""

from __future__ import annotations

import pytest

from chainmap.errors import SourceError
from chainmap.importer.read import read_dataset


def test_a_server_that_never_answers_ends_within_the_bound(tmp_path, monkeypatch):
    """Accepts the connection, never sends a byte: the download gives up after
    (retries + 1) × (connect + read) seconds, here with a 1-second read timeout."""
    import socket
    import threading
    import time

    config = tmp_path / "limits.toml"
    config.write_text("[limits]\nread_timeout_s = 1\nconnect_timeout_s = 1\n", encoding="utf-8")
    monkeypatch.setenv("CHAINMAP_CONFIG", str(config))
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    start = time.monotonic()
    try:
        with pytest.raises(SourceError, match="下载超时"):
            read_dataset(f"http://127.0.0.1:{listener.getsockname()[1]}/town.xlsx")
    finally:
        stop.set()
        thread.join()
        for connection in held:
            connection.close()
        listener.close()
    assert time.monotonic() - start < 2 * (1 + 1) + 2


def test_a_download_over_the_size_cap_is_refused(tmp_path, monkeypatch, http_folder):
    folder, base = http_folder
    (folder / "big.csv").write_bytes(b"firm_id,name,province\n" + b"x" * (2 * 1024 * 1024))
    config = tmp_path / "limits.toml"
    config.write_text("[limits]\nmax_download_mb = 1\n", encoding="utf-8")
    monkeypatch.setenv("CHAINMAP_CONFIG", str(config))
    with pytest.raises(SourceError, match="超过上限 1 MB"):
        read_dataset(base + "big.csv")


@pytest.mark.parametrize("tail", ["%2e%2e", "..%2f..%2f..", "%00", "a%00b.csv", "%2f"])
def test_hostile_url_tails_are_a_clear_message(http_folder, tail):
    _, base = http_folder
    with pytest.raises(SourceError):
        read_dataset(base + tail)
