"""The compatibility front over telegram-test-api: what python-telegram-bot needs from a Bot API."""
from __future__ import annotations

import json
import time
import urllib.error
import urllib.request

import pytest

pytestmark = pytest.mark.timeout(60)


def call(front, token, method, **params):
    request = urllib.request.Request(f"{front.api_url}{token}/{method}", data=json.dumps(params).encode(),
                                     headers={"Content-Type": "application/json"}, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def test_get_me_has_is_bot(botapi_front, bot_token):
    status, body = call(botapi_front, bot_token, "getMe")
    assert status == 200 and body["result"]["is_bot"] is True and body["result"]["username"]


def test_unsupported_methods_answer_ok_unless_told_to_fail(make_front, bot_token):
    front = make_front(fail_methods={"setMyCommands"})
    assert call(front, bot_token, "setChatMenuButton")[1]["ok"] is True
    status, body = call(front, bot_token, "setMyCommands", commands=[])
    assert status == 500 and body["ok"] is False


def test_get_updates_keeps_updates_until_confirmed_and_long_polls(botapi_front, bot_token, make_user):
    user = make_user()
    began = time.monotonic()
    assert call(botapi_front, bot_token, "getUpdates", timeout=1)[1]["result"] == []
    assert time.monotonic() - began >= 0.9  # it waited
    user.command("/who x")
    user.say("hello")
    updates = call(botapi_front, bot_token, "getUpdates", timeout=5)[1]["result"]
    assert [u["message"]["text"] for u in updates] == ["/who x", "hello"]
    assert updates[0]["message"]["entities"][0]["type"] == "bot_command"
    assert updates[0]["message"]["date"] < 10_000_000_000  # seconds
    again = call(botapi_front, bot_token, "getUpdates", offset=0)[1]["result"]
    assert [u["update_id"] for u in again] == [u["update_id"] for u in updates]  # not confirmed yet
    rest = call(botapi_front, bot_token, "getUpdates", offset=updates[0]["update_id"] + 1)[1]["result"]
    assert [u["message"]["text"] for u in rest] == ["hello"]


def test_sent_messages_look_like_telegram_ones(botapi_front, bot_token, make_user):
    user = make_user()
    status, body = call(botapi_front, bot_token, "sendMessage", chat_id=user.chat_id, text="<b>hi</b>",
                        parse_mode="HTML", reply_markup=json.dumps({"inline_keyboard": [[{"text": "More",
                                                                                          "callback_data": "m"}]]}),
                        link_preview_options=json.dumps({"is_disabled": True}))
    message = body["result"]
    assert status == 200 and message["date"] < 10_000_000_000
    assert isinstance(message["link_preview_options"], dict) and isinstance(message["reply_markup"], dict)
    [received] = user.wait_for()
    assert received.plain == "hi" and received.buttons == [("More", "m")]


def test_429_over_the_rate(make_front, bot_token, make_user):
    front = make_front(max_messages_per_second=3)
    user = make_user()
    statuses = [call(front, bot_token, "sendMessage", chat_id=user.chat_id, text=str(i))[0] for i in range(5)]
    assert statuses.count(200) == 3 and statuses.count(429) == 2
    status, body = call(front, bot_token, "sendMessage", chat_id=user.chat_id, text="x")
    assert body.get("parameters", {}).get("retry_after") == 1 or status == 200


def test_answer_delay_per_chat_answers_and_in_flight_peaks(make_front, bot_token, make_user):
    import threading

    front = make_front(answer_delay=0.3)
    garbled, user = make_user(), make_user()
    front.chat_answers[garbled.chat_id] = (200, b"<html>not json")
    began = time.monotonic()
    status, body = call(front, bot_token, "getMe")
    assert status == 200 and time.monotonic() - began >= 0.3  # every answer waits out the delay
    request = urllib.request.Request(f"{front.api_url}{bot_token}/sendMessage",
                                     data=json.dumps({"chat_id": garbled.chat_id, "text": "x"}).encode(),
                                     headers={"Content-Type": "application/json"}, method="POST")
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.read() == b"<html>not json"
    front.reset_peaks()
    threads = [threading.Thread(target=call, args=(front, bot_token, "sendMessage"),
                                kwargs={"chat_id": chat, "text": "hi"})
               for chat in (user.chat_id, user.chat_id, garbled.chat_id)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert front.peak_in_flight == 3
    assert front.peak_in_flight_per_chat[user.chat_id] == 2 and front.peak_in_flight_per_chat[garbled.chat_id] == 1
    assert front.in_flight == 0
