#!/usr/bin/python3
"""An independent Open Inference Protocol gRPC client (Python's grpcio), run by the end-to-end suite.

Generates its stubs from the protocol's .proto with grpc_tools.protoc into OUT_DIR, then calls a running
gateway the way a KServe/Triton Python client does, and prints one JSON object of what it saw, for the
Java test to check. Debian's packages: python3-grpcio, python3-grpc-tools (scripts/tools.sh).

usage: oip_grpc_client.py PROTO_FILE OUT_DIR HOST:PORT FEATURES_JSON
"""
import json
import os
import struct
import sys


def generate_stubs(proto_file, out_dir):
    from grpc_tools import protoc
    import grpc_tools
    os.makedirs(out_dir, exist_ok=True)
    include = os.path.join(os.path.dirname(grpc_tools.__file__), "_proto")
    status = protoc.main(["grpc_tools.protoc", "-I" + os.path.dirname(proto_file), "-I" + include,
                          "--python_out=" + out_dir, "--grpc_python_out=" + out_dir, os.path.basename(proto_file)])
    if status != 0:
        raise SystemExit("protoc failed with status %d" % status)
    sys.path.insert(0, out_dir)


def main():
    proto_file, out_dir, target, features_json = sys.argv[1:5]
    generate_stubs(proto_file, out_dir)
    import grpc
    import grpc_predict_v2_pb2 as pb
    import grpc_predict_v2_pb2_grpc as pb_grpc

    features = json.loads(features_json)
    seen = {}
    with grpc.insecure_channel(target) as channel:
        stub = pb_grpc.GRPCInferenceServiceStub(channel)
        seen["live"] = stub.ServerLive(pb.ServerLiveRequest(), timeout=10).live
        seen["ready"] = stub.ServerReady(pb.ServerReadyRequest(), timeout=10).ready
        seen["model_ready"] = stub.ModelReady(pb.ModelReadyRequest(name="fraud-score"), timeout=10).ready
        metadata = stub.ModelMetadata(pb.ModelMetadataRequest(name="fraud-score"), timeout=10)
        seen["inputs"] = [{"name": t.name, "datatype": t.datatype, "shape": list(t.shape)} for t in metadata.inputs]

        # typed contents
        request = pb.ModelInferRequest(model_name="fraud-score", id="py-typed")
        tensor = request.inputs.add(name="features", datatype="FP32", shape=[1, len(features)])
        tensor.contents.fp32_contents.extend(features)
        response, call = stub.ModelInfer.with_call(request, timeout=10, metadata=[("x-unit-id", "py-user-1")])
        headers = dict(call.initial_metadata())
        seen["typed"] = {"id": response.id, "value": response.outputs[0].contents.fp32_contents[0],
                         "raw_outputs": len(response.raw_output_contents),
                         "request_id": headers.get("x-request-id"), "variant": headers.get("x-variant")}

        # raw contents: little-endian float32, as tritonclient sends them
        request = pb.ModelInferRequest(model_name="fraud-score", id="py-raw")
        request.inputs.add(name="features", datatype="FP32", shape=[1, len(features)])
        request.raw_input_contents.append(struct.pack("<%df" % len(features), *features))
        response, call = stub.ModelInfer.with_call(request, timeout=10, metadata=[("x-unit-id", "py-user-1")])
        headers = dict(call.initial_metadata())
        seen["raw"] = {"id": response.id, "value": struct.unpack("<f", response.raw_output_contents[0][:4])[0],
                       "typed_outputs": len(response.outputs[0].contents.fp32_contents),
                       "request_id": headers.get("x-request-id"), "variant": headers.get("x-variant")}

        # errors: status codes and messages
        errors = {}
        def expect_error(name, request):
            try:
                stub.ModelInfer(request, timeout=10)
                errors[name] = {"code": "OK"}
            except grpc.RpcError as e:
                errors[name] = {"code": e.code().name, "message": e.details()}
        expect_error("unknown_model", pb.ModelInferRequest(model_name="no-such-model"))
        short = pb.ModelInferRequest(model_name="fraud-score")
        short.inputs.add(name="features", datatype="FP32", shape=[1, len(features)])
        short.raw_input_contents.append(struct.pack("<%df" % (len(features) - 2), *features[:-2]))
        expect_error("short_raw", short)
        seen["errors"] = errors
    print(json.dumps(seen))


if __name__ == "__main__":
    main()
