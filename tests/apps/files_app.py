"""File-handling endpoints for the client tests (Gradio 4.x+ and 3.x)."""

from __future__ import annotations

import os
import tempfile
import wave

import gradio as gr

MAJOR = int(gr.__version__.split(".")[0])


def same_file(path: str) -> str:
    return path


def describe(path: str) -> str:
    return f"{os.path.basename(path)}:{os.path.getsize(path)}"


def image_info(path: str) -> tuple[str, str]:
    return path, describe(path)


def audio_echo(path: str) -> str:
    with wave.open(path) as w:
        frames = w.getnframes()
    return f"frames={frames}"


def make_file(megabytes: float) -> str:
    fd, path = tempfile.mkstemp(suffix=".bin")
    chunk = bytes(range(256)) * 4096  # 1 MiB
    with os.fdopen(fd, "wb") as f:
        for _ in range(int(megabytes)):
            f.write(chunk)
    return path


def hostile_name(text: str) -> str:
    folder = tempfile.mkdtemp()
    path = os.path.join(folder, "..\\..\\" + "evil $(x) `y`.txt")
    with open(path, "w") as f:
        f.write(text)
    return path


def many_files(n: float) -> list[str]:
    folder = tempfile.mkdtemp()
    out = []
    for i in range(int(n)):
        p = os.path.join(folder, "same.txt" if i < 2 else f"f{i}.txt")
        if i == 1:
            p = os.path.join(tempfile.mkdtemp(), "same.txt")
        with open(p, "w") as f:
            f.write(f"content {i}")
        out.append(p)
    return out


def build() -> gr.Blocks:
    with gr.Blocks() as demo:
        f_in = gr.File(label="in_file")
        f_out = gr.File(label="out_file")
        text = gr.Textbox(label="text")
        number = gr.Number(label="n", value=1)
        gr.Button("file").click(same_file, f_in, f_out, api_name="file")
        gr.Button("describe").click(describe, f_in, text, api_name="describe")
        img = gr.Image(type="filepath", label="img")
        img_out = gr.Image(type="filepath", label="img_out")
        gr.Button("image").click(image_info, img, [img_out, text], api_name="image")
        aud = gr.Audio(type="filepath", label="aud")
        gr.Button("audio").click(audio_echo, aud, text, api_name="audio")
        gr.Button("make").click(make_file, number, f_out, api_name="make_file")
        gr.Button("hostile").click(hostile_name, text, f_out, api_name="hostile")
        files_out = gr.File(label="files", file_count="multiple")
        gr.Button("many").click(many_files, number, files_out, api_name="many_files")
        files_in = gr.File(label="files_in", file_count="multiple")
        gr.Button("count").click(lambda fs: len(fs or []), files_in, number, api_name="count_files")
    return demo


demo = build()
