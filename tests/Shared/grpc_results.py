"""Shared by the independent gRPC test clients: results go to stdout as one JSON object per line."""
import json

import grpc


def emit(case, **fields):
    print(json.dumps({"case": case, **fields}), flush=True)


def outcome(invoke):
    """Runs a call and reports its status code and details instead of raising."""
    try:
        invoke()
        return {"code": "OK", "details": ""}
    except grpc.RpcError as error:
        return {"code": error.code().name, "details": error.details()}
