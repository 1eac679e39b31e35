"""Reference-API details beyond the basics: async iteration of a sync Job, oauth_token."""

from __future__ import annotations

import copy
from typing import Any

from gradio_tui import Client, FileData, Status
from tests.support.fake_gradio import FakeGradio, Script, sse

from .test_garbage import CONFIG, INFO


async def test_sync_job_iterates_asynchronously(core_url: str) -> None:
    with Client(core_url, verbose=False, analytics_enabled=False) as client:
        job = client.submit("a", 3, api_name="/stream")
        outputs, codes = [], []
        async for update in job:
            if update.type == "output":
                outputs.append(update.outputs)
            else:
                codes.append(update.code)
        assert outputs == ["a#1", "a#1 a#2", "a#1 a#2 a#3", "a#1 a#2 a#3"]
        assert outputs[-1] == job.result()
        assert codes[-1] == Status.FINISHED and Status.ITERATING in codes


def _recording_server(info: dict[str, Any]) -> FakeGradio:
    def on_join(body: dict[str, Any]) -> Script:
        return Script(
            "o1",
            sse(
                {
                    "msg": "process_completed",
                    "event_id": "o1",
                    "output": {"data": ["ok"]},
                    "success": True,
                }
            ),
        )

    return FakeGradio(CONFIG, info, on_join)


def test_oauth_token_only_for_endpoints_that_ask() -> None:
    asking = copy.deepcopy(INFO)
    asking["named_endpoints"]["/echo"]["oauth_token"] = "required"
    with (
        _recording_server(asking) as fake,
        Client(fake.url, verbose=False, oauth_token="hf_oauth") as client,
    ):
        client.predict("x", api_name="/echo")
        join = next(r for r in fake.requests if r.path.endswith("/queue/join")).json()
        assert join["oauth_token"] == "hf_oauth"
        assert "Acts on your behalf" in str(client.view_api(print_info=False, return_format="str"))
    with (
        _recording_server(INFO) as fake,
        Client(fake.url, verbose=False, oauth_token="hf_oauth") as client,
    ):
        client.predict("x", api_name="/echo")
        join = next(r for r in fake.requests if r.path.endswith("/queue/join")).json()
        assert "oauth_token" not in join


def test_file_data_is_exported() -> None:
    value: FileData = {"path": "/tmp/x.txt", "meta": {"_type": "gradio.FileData"}}
    assert value["path"] == "/tmp/x.txt"
