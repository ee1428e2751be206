"""A local stand-in for the Cainiao print component (菜鸟打印组件): JSON over WebSocket, the
``getPrinters`` and ``print`` commands as the public integrations send them (docs/couriers.md),
answers matched by ``requestID``, and an unsolicited ``notifyPrintResult`` pushed first (a real
component pushes those too), so a client that reads the first message as its answer fails."""
from __future__ import annotations

import json
import threading

from websockets.sync.server import serve


class PrintComponentStandIn:
    def __init__(self, printers=("Deli DL-888D", "HPRT N41"), default="Deli DL-888D") -> None:
        self.printers = list(printers)
        self.default = default
        self.tasks: list[dict] = []
        self.server = serve(self._handle, "127.0.0.1", 0)
        self.url = f"ws://127.0.0.1:{self.server.socket.getsockname()[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def _handle(self, ws) -> None:
        for raw in ws:
            request = json.loads(raw)
            ws.send(json.dumps({"cmd": "notifyPrintResult", "taskID": "older", "taskStatus": "printed",
                                "printStatus": []}))
            rid = request.get("requestID")
            if request.get("cmd") == "getPrinters":
                ws.send(json.dumps({"cmd": "getPrinters", "requestID": rid, "defaultPrinter": self.default,
                                    "printers": [{"name": n} for n in self.printers]}, ensure_ascii=False))
            elif request.get("cmd") == "print":
                task = request["task"]
                ok = task.get("printer") in self.printers and all(
                    d.get("documentID") and d.get("contents") and all(
                        ("encryptedData" in c and "signature" in c or "data" in c) and "templateURL" in c
                        for c in d["contents"]) for d in task.get("documents") or [None])
                if ok:
                    self.tasks.append(task)
                ws.send(json.dumps({"cmd": "print", "requestID": rid, "taskID": task.get("taskID"),
                                    "status": "success" if ok else "failed",
                                    **({} if ok else {"msg": "打印机或报文无效"})}, ensure_ascii=False))

    def close(self) -> None:
        self.server.shutdown()
