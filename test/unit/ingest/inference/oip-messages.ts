// Open Inference Protocol messages encoded as Seldon puts them on Kafka: ModelInferRequest and
// ModelInferResponse built with protobufjs from the vendored gRPC definition (not from the
// decoder's own copy), for the unit and integration tests.
import protobuf from "protobufjs";

const vendored = protobuf.loadSync(
  new URL("../../../../src/ingest/inference/open_inference_grpc.proto", import.meta.url).pathname,
);
const Request = vendored.lookupType("inference.ModelInferRequest");
const Response = vendored.lookupType("inference.ModelInferResponse");

export function inferRequest(fields: Record<string, unknown>): Buffer {
  return Buffer.from(Request.encode(Request.fromObject(fields)).finish());
}

export function inferResponse(fields: Record<string, unknown>): Buffer {
  return Buffer.from(Response.encode(Response.fromObject(fields)).finish());
}
