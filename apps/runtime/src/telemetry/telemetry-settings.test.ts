import { describe, expect, it } from 'vitest'
import { telemetrySettings } from './telemetry-settings.js'

describe('telemetrySettings', () => {
  it('is undefined when no tracing variable is set (tracing stays off), or Langfuse is only partly configured', () => {
    expect(telemetrySettings({})).toBeUndefined()
    expect(telemetrySettings({ OTEL_EXPORTER_OTLP_ENDPOINT: '  ', OTEL_DEBUG: 'no' })).toBeUndefined()
    expect(
      telemetrySettings({ LANGFUSE_HOST: 'https://lf.example', LANGFUSE_PUBLIC_KEY: 'pk' }),
    ).toBeUndefined()
  })

  it('reads the endpoint, headers, Langfuse, debug, service name and batch delay', () => {
    const settings = telemetrySettings({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/',
      OTEL_EXPORTER_OTLP_HEADERS: 'x-tenant=acme, api-key=a%3Db',
      LANGFUSE_HOST: 'https://lf.example/',
      LANGFUSE_PUBLIC_KEY: 'pk',
      LANGFUSE_SECRET_KEY: 'sk',
      OTEL_DEBUG: 'TRUE',
      OTEL_SERVICE_NAME: 'alpha',
      OTEL_BSP_SCHEDULE_DELAY: '250',
    })
    expect(settings).toEqual({
      otlpTracesUrl: 'http://collector:4318/v1/traces',
      otlpHeaders: { 'x-tenant': 'acme', 'api-key': 'a=b' },
      langfuse: {
        url: 'https://lf.example/api/public/otel/v1/traces',
        authorization: `Basic ${Buffer.from('pk:sk').toString('base64')}`,
      },
      console: true,
      scheduleDelayMs: 250,
      serviceName: 'alpha',
    })
  })

  it('OTEL_DEBUG alone turns tracing on with the console exporter and the default batch delay', () => {
    expect(telemetrySettings({ OTEL_DEBUG: 'yes', OTEL_BSP_SCHEDULE_DELAY: 'soon' })).toEqual({
      otlpHeaders: {},
      console: true,
      scheduleDelayMs: 5000,
    })
  })
})
