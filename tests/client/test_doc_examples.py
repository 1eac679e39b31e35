"""The reference client's documented examples, run verbatim with ``from gradio_tui import Client``.

The Spaces the docs name (``abidlabs/whisper``, ``gradio/calculator``…) are
served by local stand-ins (``tests/apps/docs_apps.py``) and a local Hub stub
maps each Space id to its stand-in, so every snippet below is pasted as the
docs print it, only its output is asserted.
"""

from __future__ import annotations

import concurrent.futures
import io
import time
import wave
from collections.abc import Iterator
from contextlib import redirect_stdout
from pathlib import Path

import pytest

from gradio_tui.client import spaces as spaces_module
from tests.support.hub_stub import HubStub, Space
from tests.support.servers import GradioServer, start_gradio

SPACES = {
    "abidlabs/whisper": "whisper",
    "abidlabs/whisper-large-v2": "whisper",
    "abidlabs/en2fr": "en2fr",
    "abidlabs/my-private-space": "en2fr",
    "gradio/calculator": "calculator",
    "gradio/count_generator": "count_generator",
    "gradio/llm_stream": "llm_stream",
}


@pytest.fixture(scope="module")
def docs_server() -> Iterator[GradioServer]:
    server = start_gradio("docs_apps", ready_path="calculator/config")
    yield server
    server.stop()


@pytest.fixture
def hub(
    docs_server: GradioServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Iterator[HubStub]:
    with HubStub(token="hf_docs") as stub:
        for space_id, path in SPACES.items():
            space = Space(space_id, host=docs_server.url + path)
            space.private = space_id.endswith("private-space")
            stub.add_space(space)
        monkeypatch.setenv("HF_ENDPOINT", stub.url)
        monkeypatch.setattr(spaces_module, "POLL_SECONDS", 0.01)
        monkeypatch.chdir(tmp_path)
        with wave.open("audio_sample.wav", "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(16000)
            w.writeframes(b"\x00\x00" * 32000)
        Path("test.mp4").write_bytes(Path("audio_sample.wav").read_bytes())
        yield stub


def run(snippet: str) -> tuple[dict[str, object], str]:
    """Execute a docs snippet as a script would; its globals and what it printed."""
    scope: dict[str, object] = {}
    out = io.StringIO()
    with redirect_stdout(out):
        exec(compile(snippet, "<docs>", "exec"), scope)
    client = scope.get("client")
    if client is not None:
        client.close()  # type: ignore[attr-defined]
    return scope, out.getvalue()


def test_readme_three_lines(hub: HubStub) -> None:
    scope, out = run(
        "from gradio_tui import Client\n\n"
        'client = Client("abidlabs/whisper")\n'
        'result = client.predict("audio_sample.wav")\n'
    )
    assert scope["result"] == "This is a test of the whisper speech recognition model (2.0 s)."
    assert "Loaded as API" in out


def test_handle_file_keyword(hub: HubStub) -> None:
    scope, _ = run(
        "from gradio_tui import Client, handle_file\n\n"
        'client = Client("abidlabs/whisper")\n'
        "result = client.predict(\n"
        '    audio=handle_file("audio_sample.wav")\n'
        ")\n"
    )
    assert str(scope["result"]).startswith("This is a test of the whisper")


def test_api_name_and_file(hub: HubStub) -> None:
    scope, _ = run(
        "from gradio_tui import Client\n\n"
        'client = Client("abidlabs/whisper-large-v2")  # connecting to a Hugging Face Space\n'
        'result = client.predict("test.mp4", api_name="/predict")\n'
    )
    assert str(scope["result"]).startswith("This is a test")


def test_connecting(hub: HubStub) -> None:
    scope, _ = run(
        "from gradio_tui import Client\n\n"
        'client = Client("abidlabs/en2fr")  # a Space that translates from English to French\n'
        'a = client.predict("Hello")\n'
    )
    assert scope["a"] == "Bonjour"
    scope, _ = run(
        "from gradio_tui import Client\n\n"
        'client = Client("abidlabs/my-private-space", hf_token="hf_docs")\n'
        'b = client.predict("Hello")\n'
    )
    assert scope["b"] == "Bonjour"


def test_several_parameters(hub: HubStub) -> None:
    scope, _ = run(
        'from gradio_tui import Client\n\nclient = Client("gradio/calculator")\n'
        'r = client.predict(4, "add", 5)\n'
    )
    assert scope["r"] == 9.0
    scope, _ = run(
        'from gradio_tui import Client\n\nclient = Client(src="gradio/calculator")\n'
        'r = client.predict(5, "add", 4, api_name="/predict")\n'
    )
    assert scope["r"] == 9


def test_view_api(hub: HubStub) -> None:
    _, out = run(
        'from gradio_tui import Client\n\nclient = Client("abidlabs/whisper")\nclient.view_api()\n'
    )
    assert "Named API endpoints: 1" in out
    assert ' - predict(audio, api_name="/predict") -> output' in out
    assert "[Audio] audio: filepath (required)" in out


def test_submit_and_result(hub: HubStub) -> None:
    scope, _ = run(
        "from gradio_tui import Client\n\n"
        'client = Client(space="abidlabs/en2fr")\n'
        'job = client.submit("Hello", api_name="/predict")  # This is not blocking\n\n'
        "# Do something else\n\n"
        "r = job.result()  # This is blocking\n"
    )
    assert scope["r"] == "Bonjour"


def test_callbacks(hub: HubStub) -> None:
    scope, _ = run(
        "from gradio_tui import Client\n\n"
        "got = []\n"
        "def print_result(x):\n"
        '    got.append(x)\n    print("The translated result is: {x}")\n\n'
        'client = Client(space="abidlabs/en2fr")\n\n'
        'job = client.submit("Hello", api_name="/predict", result_callbacks=[print_result])\n'
        "job.result()\n"
    )
    deadline = time.monotonic() + 5
    while not scope["got"] and time.monotonic() < deadline:
        time.sleep(0.01)
    assert scope["got"] == ["Bonjour"]


def test_status(hub: HubStub) -> None:
    scope, _ = run(
        "from gradio_tui import Client\n\n"
        'client = Client(src="gradio/calculator")\n'
        'job = client.submit(5, "add", 4, api_name="/predict")\n'
        "s = job.status()\n"
        "r = job.result()\n"
        "done = job.done()\n"
    )
    from gradio_tui import Status

    assert scope["s"].code in {  # type: ignore[attr-defined]
        Status.STARTING,
        Status.JOINING_QUEUE,
        Status.IN_QUEUE,
        Status.PROCESSING,
        Status.FINISHED,
    }
    assert scope["r"] == 9 and scope["done"] is True


def test_generator_outputs_and_iteration(hub: HubStub) -> None:
    scope, _ = run(
        "import time\nfrom gradio_tui import Client\n\n"
        'client = Client(src="gradio/count_generator")\n'
        'job = client.submit(3, api_name="/count")\n'
        "while not job.done():\n    time.sleep(0.1)\n"
        "outs = job.outputs()\n"
    )
    assert scope["outs"] == ["0", "1", "2"]
    _, out = run(
        "from gradio_tui import Client\n\n"
        'client = Client(src="gradio/count_generator")\n'
        'job = client.submit(3, api_name="/count")\n\n'
        "for o in job:\n    print(o)\n"
    )
    assert out.splitlines()[-3:] == ["0", "1", "2"]


def test_stream_in_five_lines(hub: HubStub) -> None:
    _, out = run(
        "from gradio_tui import Client\n\n"
        'client = Client("gradio/llm_stream")\n\n'
        'for result in client.submit("What\'s the best UI framework in Python?"):\n'
        "    print(result)\n"
    )
    assert out.splitlines()[-1] == "Textual is the best UI framework in Python."


def test_keyword_arguments_like_the_app(docs_server: GradioServer) -> None:
    scope, _ = run(
        "from gradio_tui import Client\n\n"
        f'client = Client("{docs_server.url}chat/")\n'
        "result = client.predict(\n"
        '\t\tmessage="Hello!!",\n'
        '\t\tsystem_prompt="You are helpful AI.",\n'
        "\t\ttokens=10,\n"
        '\t\tapi_name="/chat"\n'
        ")\n"
        "print(result)\n"
    )
    assert scope["result"] == "[You are helpful AI.] echo: Hello!!"[:80]


def test_cancel(hub: HubStub) -> None:
    scope, _ = run(
        "from gradio_tui import Client\n\n"
        'client = Client(src="gradio/count_generator")\n'
        'job = client.submit(100, api_name="/count")\n'
        "while not job.outputs():\n    pass\n"
        "cancelled = job.cancel()\n"
    )
    assert scope["cancelled"] is True
    job = scope["job"]
    with pytest.raises(concurrent.futures.CancelledError):
        job.result()  # type: ignore[attr-defined]
