import { describe, expect, it } from 'vitest';
import { readAzureMonitorRecord } from './azure-monitor.js';

const env = { time: '2025-03-04T08:15:02.1234567Z', category: 'SignInLogs', tenantId: 't1', resultType: '0', callerIpAddress: '203.0.113.1', correlationId: 'c1' };

describe('readAzureMonitorRecord', () => {
  it('takes properties as the sign-in; the category gives the event type when the record has none', () => {
    expect(readAzureMonitorRecord({ ...env, properties: { id: 'a', createdDateTime: '2025-03-04T08:14:59+00:00', ipAddress: '198.51.100.2', correlationId: 'c2', status: { errorCode: 0 } } })).toEqual({
      value: { id: 'a', createdDateTime: '2025-03-04T08:14:59+00:00', ipAddress: '198.51.100.2', correlationId: 'c2', status: { errorCode: 0 }, signInEventTypes: ['interactiveUser'], isInteractive: true },
      tenantId: 't1',
      observedAt: '2025-03-04T08:15:02.1234567Z',
    });
    const ni = readAzureMonitorRecord({ ...env, category: 'NonInteractiveUserSignInLogs', properties: { id: 'b', isInteractive: true, signInEventTypes: ['interactiveUser'] } });
    expect(ni).toMatchObject({ value: { signInEventTypes: ['interactiveUser'], isInteractive: true } });
    const sp = readAzureMonitorRecord({ ...env, category: 'ServicePrincipalSignInLogs', properties: { id: 'c' } });
    expect(sp).toMatchObject({ value: { signInEventTypes: ['servicePrincipal'] } });
    expect(typeof sp !== 'string' && 'isInteractive' in sp.value).toBe(false);
  });

  it('fills only the gaps from the envelope', () => {
    const r = readAzureMonitorRecord({ ...env, resultType: '50126', resultDescription: 'Invalid username or password.', location: 'NO', properties: { id: 'a', ipAddress: '' } });
    expect(r).toMatchObject({
      value: { createdDateTime: env.time, ipAddress: '203.0.113.1', correlationId: 'c1', status: { errorCode: 50126, failureReason: 'Invalid username or password.' }, location: { countryOrRegion: 'NO' } },
    });
    const panther = readAzureMonitorRecord({ calleripaddress: '203.0.113.9', resulttype: 'Failure', tenantid: 't9', category: 'SignInLogs', properties: { id: 'p', createdDateTime: '2023-07-26 22:58:30.983201900' } });
    expect(panther).toMatchObject({ tenantId: 't9', value: { ipAddress: '203.0.113.9' } });
    expect(typeof panther !== 'string' && panther.value['status']).toBeUndefined();
  });

  it('reads properties written as JSON text, and says why a record is not a sign-in', () => {
    expect(readAzureMonitorRecord({ ...env, properties: '{"id":"a"}' })).toMatchObject({ value: { id: 'a' } });
    expect(readAzureMonitorRecord({ ...env, properties: '{"id":' })).toBe('the record\'s "properties" is text that is not JSON');
    expect(readAzureMonitorRecord({ ...env, category: 'AuditLogs', properties: { id: 'x' } })).toMatch(/^category "AuditLogs" is not a sign-in log/);
    expect(readAzureMonitorRecord({ ...env, properties: { userPrincipalName: 'u' } })).toMatch(/no "properties.id"/);
    expect(readAzureMonitorRecord({ ...env })).toMatch(/no "properties" object/);
  });
});
