// The peers driftwatch notifies, as local servers: a Slack Web API server, an SMTP server and an
// HTTP receiver (webhooks, GitHub, Airflow, Jenkins, Kubeflow). One implementation each, shared
// with the demo (src/demo/peers/): scripted answers and failures, login capture, recorded
// requests, and start(port) to come back on the same port after stop().
export {
  HttpReceiver,
  json,
  SlackApiServer,
  SmtpPeer,
  type ReceivedMail,
  type RecordedRequest,
  type Responder,
  type ScriptedResponse,
  type SlackCall,
  type SmtpLogin,
} from "../../src/demo/peers/index.js";
