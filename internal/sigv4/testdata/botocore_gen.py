"""Regenerates botocore.json: requests signed by botocore's own signers.

Run with botocore installed: python3 botocore_gen.py > botocore.json
"""
import json
from urllib.parse import urlsplit

from botocore.auth import SigV4Auth, SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from botocore.utils import percent_encode_sequence

HOST = "sso.us-east-1.amazonaws.com"
LONG = Credentials("AKIDBOTOCORE", "botocore/secret+key")
TEMP = Credentials("ASIABOTOCORE", "temp/secret", "session+token/with=chars")


def emit(name, req, creds, presign=False, expires=300):
    if presign:
        SigV4QueryAuth(creds, "sso", "us-east-1", expires=expires).add_auth(req)
    else:
        SigV4Auth(creds, "sso", "us-east-1").add_auth(req)
    p = req.prepare()
    u = urlsplit(p.url)
    target = u.path + ("?" + u.query if u.query else "")
    body = p.body or b""
    if isinstance(body, str):
        body = body.encode()
    headers = [[k, v] for k, v in p.headers.items()]
    if "X-Amz-Date" in p.headers:
        date = p.headers["X-Amz-Date"]
    else:
        date = [kv.split("=")[1] for kv in u.query.split("&") if kv.startswith("X-Amz-Date=")][0]
    print(json.dumps({"name": name, "method": p.method, "target": target, "host": u.netloc,
                      "headers": headers, "body": body.decode(), "date": date,
                      "akid": creds.access_key, "secret": creds.secret_key,
                      "token": creds.token or ""}))


def url(path, query=None):
    # As botocore.awsrequest.prepare_request_dict does: the serialized query
    # goes into the URL, encoded by percent_encode_sequence.
    u = "https://" + HOST + path
    if query:
        u += "?" + percent_encode_sequence(query)
    return u


emit("json-post", AWSRequest("POST", url("/"), data=b'{"InstanceArn":"arn:aws:sso:::instance/ssoins-1"}',
     headers={"X-Amz-Target": "SWBExternalService.ListPermissionSets",
              "Content-Type": "application/x-amz-json-1.1"}), LONG)
emit("session-token", AWSRequest("POST", url("/"), data=b"{}",
     headers={"X-Amz-Target": "SWBExternalService.ListInstances",
              "Content-Type": "application/x-amz-json-1.1"}), TEMP)
emit("query-special", AWSRequest("GET", url("/v1/things", [("b", "2"), ("b", "1"), ("a key", "v a/l+u=e&"),
     ("\u00fcml", "\u2603"), ("empty", ""), ("tilde~", "x~y*z")])), LONG)
emit("path-encoded", AWSRequest("GET", url("/a%20b/%C3%BCnic%C3%B6de/x%2Fy")), LONG)
emit("path-dots", AWSRequest("GET", url("//a/./b/../c//")), LONG)
emit("header-spaces", AWSRequest("POST", url("/"), data=b"x",
     headers={"X-Amz-Meta": "  a   b  c  ", "Content-Type": "text/plain"}), LONG)
emit("presigned", AWSRequest("GET", url("/presign", {"Action": "GetThing", "p": "a b"})), LONG, presign=True)
emit("presigned-token", AWSRequest("GET", url("/", {"Action": "GetThing"})), TEMP, presign=True, expires=60)
