"""Fetch a dataset over http(s): timeouts, retries on passing failures, clear errors."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from urllib.parse import unquote, urlparse

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from chainmap.config import InputLimits, input_limits
from chainmap.errors import SourceError

_CONTENT_TYPES = {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
    "application/zip": ".zip",
    "text/csv": ".csv",
}


def _safe_name(name: str) -> str:
    """A file name from a URL's last segment that cannot leave the download folder: '..',
    separators, NUL and other control characters are replaced."""
    name = re.sub(r"[\x00-\x1f/\\:*?\"<>|]", "_", name).strip()
    return "dataset" if name.strip(".") == "" else name[:120]


def _too_large(url: str, limits: InputLimits) -> str:
    return (
        f"下载的文件超过上限 {limits.max_download_mb:,} MB：{url}"
        "（可在配置 [limits] max_download_mb 调整）"
    )


def _timed_out(url: str, limits: InputLimits) -> str:
    return (
        f"下载超时：{url}（连接 {limits.connect_timeout_s:g} 秒、等待回应 "
        f"{limits.read_timeout_s:g} 秒，已重试 {limits.download_retries} 次）；请稍后再试或检查网址"
    )


def is_url(location: str) -> bool:
    return location.startswith(("http://", "https://"))


def _session(limits: InputLimits) -> requests.Session:
    session = requests.Session()
    retry = Retry(
        total=limits.download_retries,
        connect=limits.download_retries,
        read=limits.download_retries,
        backoff_factor=0.2,
        status_forcelist=(429, 500, 502, 503, 504),
        allowed_methods=("GET",),
        raise_on_status=False,
    )
    adapter = HTTPAdapter(max_retries=retry)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


def fetch_url(url: str, folder: Path, *, missing_ok: bool = False) -> Path | None:
    """Download url into folder and return the file; None for a 404 when missing_ok.

    Bounded in time (connect and read timeouts, few retries) and in size (Content-Length and
    the bytes actually received against [limits] max_download_mb)."""
    limits = input_limits()
    cap = limits.max_download_mb * 1024 * 1024
    timeouts = (limits.connect_timeout_s, limits.read_timeout_s)
    try:
        with (
            _session(limits) as session,
            session.get(url, timeout=timeouts, stream=True) as response,
        ):
            if response.status_code == 404 and missing_ok:
                return None
            if response.status_code != 200:
                raise SourceError(f"下载失败：{url} 返回 HTTP {response.status_code}")
            name = _safe_name(posixpath.basename(unquote(urlparse(url).path)))
            if "." not in name:
                content_type = response.headers.get("Content-Type", "").split(";")[0].strip()
                name += _CONTENT_TYPES.get(content_type, "")
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > cap:
                raise SourceError(_too_large(url, limits))
            target = folder / name
            received = 0
            with target.open("wb") as handle:
                for chunk in response.iter_content(chunk_size=1 << 20):
                    received += len(chunk)
                    if received > cap:
                        raise SourceError(_too_large(url, limits))
                    handle.write(chunk)
            return target
    except requests.exceptions.Timeout:
        raise SourceError(_timed_out(url, limits)) from None
    except requests.exceptions.ConnectionError as exc:
        # A body that stops arriving surfaces as a connection error wrapping a read timeout.
        if "timed out" in str(exc).lower():
            raise SourceError(_timed_out(url, limits)) from None
        raise SourceError(f"无法连接：{url}（请检查网址和网络）") from None
    except requests.exceptions.RetryError as exc:
        raise SourceError(f"下载失败：{url} 多次重试后仍出错（{exc}）") from None
    except requests.exceptions.RequestException as exc:
        raise SourceError(f"下载失败：{url}（{exc}）") from None
