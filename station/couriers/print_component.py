"""The platforms' print components as printers: Cainiao's (菜鸟打印组件, ``ws://localhost:13528``)
and the 拼多多 and 抖店 ones, which speak the same JSON-over-WebSocket protocol.

``getPrinters`` lists the printers the component can reach; ``print`` sends a task whose
documents are the e-waybill service's print data (encrypted: ``encryptedData``, ``signature``,
``templateURL``, ``ver``; or plain ``data`` + ``templateURL``), untouched: the component draws
the courier's own template with the routing data. Answers are matched by ``requestID`` (the
component also pushes ``notifyPrintResult`` messages). Called with no database transaction
open. Sources and what was tested: docs/couriers.md.
"""
from __future__ import annotations

import json
import uuid

from station.couriers.base import ServiceError
from station.i18n import _

#: printer scheme -> the component's local address (its http port; https pages use wss on another)
COMPONENTS = {"cainiao": "ws://localhost:13528", "pdd": "ws://localhost:5000", "doudian": "ws://localhost:13888"}


class PrintComponent:
    def __init__(self, url: str, timeout: float = 10.0) -> None:
        self.url = url
        self.timeout = timeout

    def _connect(self):
        from websockets.exceptions import WebSocketException
        from websockets.sync.client import connect

        try:
            return connect(self.url, open_timeout=self.timeout, close_timeout=2)
        except (OSError, TimeoutError, WebSocketException) as exc:
            raise ServiceError(_("The print component at {url} is not running: {reason}",
                                 url=self.url, reason=exc)) from None

    def _ask(self, ws, cmd: str, **fields) -> dict:
        request_id = uuid.uuid4().hex[:16]
        ws.send(json.dumps({"cmd": cmd, "requestID": request_id, "version": "1.0", **fields}, ensure_ascii=False))
        from websockets.exceptions import ConnectionClosed

        while True:
            try:
                raw = ws.recv(timeout=self.timeout)
            except (TimeoutError, ConnectionClosed):
                raise ServiceError(_("The print component did not answer {cmd}", cmd=cmd)) from None
            try:
                answer = json.loads(raw)
            except ValueError:
                continue
            if answer.get("cmd") == cmd and answer.get("requestID") == request_id:
                return answer

    def printers(self) -> tuple[list[str], str]:
        """The printers the component reaches, and its default one."""
        with self._connect() as ws:
            answer = self._ask(ws, "getPrinters")
        names = [p.get("name", "") for p in answer.get("printers") or [] if p.get("name")]
        return names, answer.get("defaultPrinter") or ""

    def print(self, printer: str, documents: list[dict], task_id: str) -> None:
        """One task: ``documents`` as [{"documentID", "contents": [print data]}]; raises ServiceError
        unless the component took it. ``printer`` empty: the component's default printer."""
        with self._connect() as ws:
            found = self._ask(ws, "getPrinters")
            names = [p.get("name") for p in found.get("printers") or []]
            if printer and printer not in names:
                raise ServiceError(_("The print component has no printer {printer}; it has: {names}",
                                     printer=printer, names=", ".join(n for n in names if n) or "-"))
            answer = self._ask(ws, "print", task={
                "taskID": task_id, "preview": False, "printer": printer or found.get("defaultPrinter") or "",
                "notifyMode": "allInOne", "firstDocumentNumber": 1, "totalDocumentCount": len(documents),
                "documents": documents})
        if answer.get("status") != "success":
            raise ServiceError(_("The print component refused the task: {reason}",
                                 reason=answer.get("msg") or answer.get("status") or "-"))


def print_documents(scheme: str, printer: str, waybills: list[tuple[str, str]], task_id: str,
                    url: str | None = None) -> None:
    """Print (tracking number, print data) pairs on ``printer`` of the ``scheme`` component."""
    documents = []
    for number, print_data in waybills:
        try:
            content = json.loads(print_data)
        except ValueError:
            raise ServiceError(_("Waybill {number} has print data the component cannot read", number=number)) from None
        documents.append({"documentID": number, "contents": [content]})
    PrintComponent(url or COMPONENTS[scheme]).print(printer, documents, task_id)
