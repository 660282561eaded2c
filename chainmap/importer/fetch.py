"""Fetch a dataset over http(s): timeouts, retries on passing failures, clear errors."""

from __future__ import annotations

import posixpath
from pathlib import Path
from urllib.parse import unquote, urlparse

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from chainmap.errors import SourceError

CONNECT_TIMEOUT_S = 10
READ_TIMEOUT_S = 60
_RETRY = Retry(
    total=3,
    backoff_factor=0.3,
    status_forcelist=(429, 500, 502, 503, 504),
    allowed_methods=("GET",),
    raise_on_status=False,
)
_CONTENT_TYPES = {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
    "application/zip": ".zip",
    "text/csv": ".csv",
}


def is_url(location: str) -> bool:
    return location.startswith(("http://", "https://"))


def _session() -> requests.Session:
    session = requests.Session()
    adapter = HTTPAdapter(max_retries=_RETRY)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


def fetch_url(url: str, folder: Path, *, missing_ok: bool = False) -> Path | None:
    """Download url into folder and return the file; None for a 404 when missing_ok."""
    try:
        with (
            _session() as session,
            session.get(url, timeout=(CONNECT_TIMEOUT_S, READ_TIMEOUT_S), stream=True) as response,
        ):
            if response.status_code == 404 and missing_ok:
                return None
            if response.status_code != 200:
                raise SourceError(f"下载失败：{url} 返回 HTTP {response.status_code}")
            name = posixpath.basename(unquote(urlparse(url).path)) or "dataset"
            if "." not in name:
                content_type = response.headers.get("Content-Type", "").split(";")[0].strip()
                name += _CONTENT_TYPES.get(content_type, "")
            target = folder / name
            with target.open("wb") as handle:
                for chunk in response.iter_content(chunk_size=1 << 20):
                    handle.write(chunk)
            return target
    except requests.exceptions.Timeout:
        raise SourceError(
            f"下载超时：{url}（连接 {CONNECT_TIMEOUT_S} 秒、读取 {READ_TIMEOUT_S} 秒）"
        ) from None
    except requests.exceptions.RetryError as exc:
        raise SourceError(f"下载失败：{url} 多次重试后仍出错（{exc}）") from None
    except requests.exceptions.ConnectionError:
        raise SourceError(f"无法连接：{url}（请检查网址和网络）") from None
    except requests.exceptions.RequestException as exc:
        raise SourceError(f"下载失败：{url}（{exc}）") from None
