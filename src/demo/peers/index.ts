// Public surface of the local peers (Slack Web API, SMTP, HTTP receiver) the demo and the tests
// talk to instead of Slack, a mail server and webhook receivers.
export {
  HttpReceiver,
  json,
  type RecordedRequest,
  type Responder,
  type ScriptedResponse,
} from "./http-receiver.js";
export { SlackApiServer, type SlackCall } from "./slack-api-server.js";
export { SmtpPeer, type ReceivedMail, type SmtpLogin } from "./smtp-server.js";
