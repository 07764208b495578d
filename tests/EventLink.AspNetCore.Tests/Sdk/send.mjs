// Sends a short customer journey to an EventLink collector with Segment's and PostHog's official Node SDKs.
// Run by SdkClientTests with EVENTLINK_HOST, SEGMENT_WRITE_KEY and POSTHOG_API_KEY set; prints one JSON line per SDK.
import { Analytics } from '@segment/analytics-node';
import { PostHog } from 'posthog-node';

const host = process.env.EVENTLINK_HOST;
const errors = [];

// Segment: an anonymous visitor views pricing, identifies, exports a report, joins an account; an old id is aliased.
const analytics = new Analytics({ writeKey: process.env.SEGMENT_WRITE_KEY, host, maxEventsInBatch: 3, flushInterval: 200, maxRetries: 5 });
analytics.on('error', (e) => errors.push(`segment: ${e.code ?? ''} ${e.reason ?? e.message ?? e}`));
analytics.page({ anonymousId: 'seg-anon-1', name: 'Pricing', properties: { path: '/pricing' } });
analytics.track({ anonymousId: 'seg-anon-1', event: 'Plan Compared', properties: { plans: 2 } });
analytics.identify({ userId: 'seg-user-42', anonymousId: 'seg-anon-1', traits: { email: 'lin@example.com', name: 'Lin Chen' } });
analytics.track({ userId: 'seg-user-42', event: 'Report Exported', properties: { format: 'csv' } });
analytics.group({ userId: 'seg-user-42', groupId: 'acct-7', traits: { name: 'Acme Corp' } });
analytics.alias({ userId: 'seg-user-42', previousId: 'seg-legacy-42' });
await analytics.closeAndFlush({ timeout: 60000 });
console.log(JSON.stringify({ sdk: 'segment', calls: 6 }));

// PostHog: an anonymous pageview, then identify with the anonymous id, an event, and an alias.
const posthog = new PostHog(process.env.POSTHOG_API_KEY, { host, flushAt: 2, flushInterval: 100, fetchRetryCount: 5, fetchRetryDelay: 100 });
posthog.on('error', (e) => errors.push(`posthog: ${e?.message ?? e}`));
posthog.capture({ distinctId: 'ph-anon-1', event: '$pageview', properties: { $current_url: 'https://app.example.com/pricing' } });
posthog.identify({ distinctId: 'ph-user-9', properties: { $anon_distinct_id: 'ph-anon-1', $set: { email: 'kim@example.com', name: 'Kim Park' } } });
posthog.capture({ distinctId: 'ph-user-9', event: 'report exported', properties: { format: 'pdf' } });
posthog.alias({ distinctId: 'ph-user-9', alias: 'ph-legacy-9' });
await posthog.shutdown(60000);
console.log(JSON.stringify({ sdk: 'posthog', calls: 4 }));

if (errors.length > 0) {
  console.error(errors.join('\n'));
  process.exit(1);
}
