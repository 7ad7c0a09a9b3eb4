"""Delivering a person's reminder: SMTP mail (smtplib) and robot webhooks (urllib).

Each function raises ``DeliveryError`` with a short reason when the message did not get
through (refused, timed out, a non-2xx answer, a robot's non-zero errcode); the caller goes on
with the other deliveries. Secrets come from the environment, never the settings file.
"""

from __future__ import annotations

import json
import os
from typing import Any

from ledger.config import Settings
from ledger.errors import ConfigError


class DeliveryError(Exception):
    pass


def check_email_settings(settings: Settings) -> dict[str, Any]:
    """The SMTP settings, or a ConfigError before anything is sent."""
    host = settings["remind.email.host"].strip()
    sender = settings["remind.email.sender"].strip()
    if not host:
        raise ConfigError("error.remind.email_setting", key="remind.email.host")
    if not sender:
        raise ConfigError("error.remind.email_setting", key="remind.email.sender")
    username = settings["remind.email.username"].strip()
    password = None
    if username:
        variable = settings["remind.email.password_env"]
        if not variable:
            raise ConfigError("error.remind.email_setting", key="remind.email.password_env")
        password = os.environ.get(variable)
        if password is None:
            raise ConfigError("error.remind.password_missing", variable=variable)
    return {"host": host, "port": settings["remind.email.port"],
            "security": settings["remind.email.security"], "username": username,
            "password": password, "sender": sender,
            "timeout": settings["remind.email.timeout_seconds"]}


def send_email(smtp: dict[str, Any], to: str, subject: str, text: str) -> None:
    import smtplib
    import ssl
    from email.message import EmailMessage

    message = EmailMessage()
    message["From"] = smtp["sender"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(text)
    try:
        if smtp["security"] == "tls":
            client: smtplib.SMTP = smtplib.SMTP_SSL(smtp["host"], smtp["port"],
                                                    timeout=smtp["timeout"],
                                                    context=ssl.create_default_context())
        else:
            client = smtplib.SMTP(smtp["host"], smtp["port"], timeout=smtp["timeout"])
        with client:
            if smtp["security"] == "starttls":
                client.starttls(context=ssl.create_default_context())
            if smtp["username"]:
                client.login(smtp["username"], smtp["password"] or "")
            client.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        raise DeliveryError(str(exc) or type(exc).__name__) from None


def webhook_payload(kind: str, person: dict[str, Any], subject: str, text: str,
                    items: list[dict[str, Any]]) -> dict[str, Any]:
    if kind == "wecom":  # 企业微信群机器人
        payload: dict[str, Any] = {"msgtype": "text", "text": {"content": f"{subject}\n{text}"}}
        if person.get("phone"):
            payload["text"]["mentioned_mobile_list"] = [person["phone"]]
        return payload
    if kind == "dingtalk":  # 钉钉自定义机器人
        return {"msgtype": "text", "text": {"content": f"{subject}\n{text}"},
                "at": {"atMobiles": [person["phone"]] if person.get("phone") else [],
                       "isAtAll": False}}
    return {"recipient": person["name"], "subject": subject, "text": text,
            "items": [{"kind": i["kind"], "number": i["number"], "deadline": str(i["deadline"]),
                       "deadline_kind": i["deadline_kind"], "state": i["state"],
                       "reason": i["reason"]} for i in items]}


def send_webhook(url: str, payload: dict[str, Any], timeout: int) -> None:
    import urllib.error
    import urllib.request

    data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(url, data=data, method="POST",
                                     headers={"Content-Type": "application/json; charset=utf-8"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            status = response.status
            answer = response.read(65536)
    except urllib.error.HTTPError as exc:
        raise DeliveryError(f"HTTP {exc.code}") from None
    except (OSError, ValueError) as exc:
        raise DeliveryError(str(exc) or type(exc).__name__) from None
    if not 200 <= status < 300:
        raise DeliveryError(f"HTTP {status}")
    # The robots answer 200 with an error code in the body when they refuse a message.
    try:
        decoded = json.loads(answer or b"{}")
    except ValueError:
        return
    if isinstance(decoded, dict) and decoded.get("errcode") not in (None, 0):
        raise DeliveryError(f"errcode {decoded.get('errcode')}: {decoded.get('errmsg', '')}")
