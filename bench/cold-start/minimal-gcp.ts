// The reference cold start on Google Cloud Functions: functions that create the SDK clients the
// Kelpie functions create (a Cloud Storage bucket handle, Google auth for Pub/Sub) and answer at once.
import { cloudEvent, http } from '@google-cloud/functions-framework';
import { Storage } from '@google-cloud/storage';
import { GoogleAuth } from 'google-auth-library';

const bucket = new Storage({ apiEndpoint: process.env.KELPIE_GCS_ENDPOINT }).bucket(process.env.KELPIE_BUCKET ?? 'bench');
const auth = new GoogleAuth({ scopes: ['https://www.googleapis.com/auth/pubsub'] });

http('api', (_req, res) => {
  res.json({ status: 'ok', bucket: bucket.name, auth: typeof auth });
});
for (const name of ['analyzeUpload', 'analyzeJob', 'backup', 'healthPing']) cloudEvent(name, async () => undefined);
