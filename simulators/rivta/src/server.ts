import http from 'node:http';
import {
  type ControlConfig,
  closeAtOnce,
  createSimulatorControl,
  listenOn,
  type SimulatorControl,
} from '@booking/simulator-kit';
import { z } from 'zod';
import { answerClinicChange } from './answerClinicChange.js';
import { type CareUnitStore, createCareUnitStore } from './createCareUnitStore.js';
import { createSchemaValidator, type SchemaValidator } from './createSchemaValidator.js';
import { standardsDirFromEnvironment } from './environment.js';
import { codeNames } from './generateTimeslots.js';
import { handleInteraction } from './handleInteraction.js';
import { type Answer, BodyTooLarge, fault, json, readBody, send, soap } from './httpAnswer.js';
import { type Interaction, type InteractionName, interactionAt } from './interactions.js';
import { routeOwnAdmin } from './routeOwnAdmin.js';
import { defaultSeed, type RivtaSeed } from './seed.js';
import { buildResponse, parseRequest, prefixes, SoapFault } from './soapMessages.js';

export type { BookingRecord } from './createCareUnitStore.js';
export type { SchemaName, SchemaValidator } from './createSchemaValidator.js';
export { correctAnchoredPatterns, createSchemaValidator } from './createSchemaValidator.js';
export { standardsDirFromEnvironment } from './environment.js';
export type { Interaction, InteractionName } from './interactions.js';
export { interactionNames, interactions, ns } from './interactions.js';
export type {
  CareUnitSeed,
  FacilitySeed,
  PerformerSeed,
  RivtaSeed,
  ScheduleBlock,
} from './seed.js';
export { defaultSeed, defaultUnits } from './seed.js';
export { validateRequestEnvelope } from './validateRequestEnvelope.js';

/** Where the simulator reports what it does to requests; any object with these two methods. */
export interface RivtaLogger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
}

export interface RivtaSimulatorOptions {
  /** Care units (logical addresses) and the code lists. Default: `defaultSeed`. */
  seed?: RivtaSeed;
  /** Business time: "today", past timeslots, the cancellation cut-off. Default: `() => new Date()`. */
  clock?: () => Date;
  /**
   * The folder with the official schemas (`core_components/`, `interactions/`). Default:
   * `RIVTA_STANDARDS_DIR`, else the repository's `standards/riv-crm-scheduling-1.1/`.
   */
  standardsDir?: string;
  /** Delay added before every SOAP request is processed, in milliseconds. Default: 0. */
  latencyMs?: number;
  /**
   * Delay between performing a successful booking write (MakeBooking, UpdateBooking,
   * CancelBooking) and answering it: the write is visible at once, only its answer waits. Default: 0.
   */
  responseDelayMs?: number;
  /** Share of SOAP requests answered with a `VP009` server fault, 0..1. Default: 0. */
  faultRate?: number;
  /**
   * When set, every facility's book is open for the local days today..today+daysAhead, in place
   * of each facility's own booking horizon (`FacilitySeed.bookingHorizonDays`). Default: unset.
   */
  daysAhead?: number | undefined;
  /** Bookings can be cancelled or moved until this many minutes before the start. Default: 60. */
  cancelCutoffMinutes?: number;
  /** Timeslots starting sooner than this many minutes are neither offered nor bookable. Default: 120. */
  bookingLeadMinutes?: number;
  /** Share of timeslots other patients booked before start-up, 0..1. Default: 0.12. */
  otherPatientsShare?: number;
  /** Seed for the other patients' bookings and for fault injection. Default: 1. */
  randomSeed?: number;
  /** Receives a line per refused request, injected fault and lost response. Default: silent. */
  logger?: RivtaLogger;
}

/** RIV-TA's own knobs in `/_admin/config`, beside the simulator kit's common ones. */
export interface RivtaKnobs extends Record<string, unknown> {
  /** Replaces every facility's booking horizon when set. */
  daysAhead: number | undefined;
  cancelCutoffMinutes: number;
  bookingLeadMinutes: number;
  otherPatientsShare: number;
}

/** The configuration in effect; `POST /_admin/config` changes it, `POST /_admin/reset` restores it. */
export type SimulatorConfig = ControlConfig<RivtaKnobs>;

/** What the simulator has seen; tests assert that no message ever failed validation. */
export interface SimulatorStats {
  requests: number;
  faults: number;
  /** Requests refused because they did not validate against the schemas. */
  invalidRequests: number;
  /** Responses the simulator built that did not validate: always a simulator bug. */
  invalidResponses: number;
  /** The problems of the latest invalid request or response, for a failing test to show. */
  lastProblems: string[];
}

export interface RivtaSimulator {
  /** Starts listening; resolves with the base URL, e.g. `http://127.0.0.1:4103`. */
  listen(port: number, host?: string): Promise<string>;
  close(): Promise<void>;
  /** The base URL once listening, else an empty string. */
  readonly url: string;
  /** Live state, for tests that want to look behind the protocol. */
  readonly state: {
    readonly config: SimulatorConfig;
    readonly units: ReadonlyMap<string, CareUnitStore>;
    readonly stats: SimulatorStats;
  };
}

const silentLogger: RivtaLogger = { info: () => {}, warn: () => {} };
const writes = new Set<InteractionName>(['MakeBooking', 'UpdateBooking', 'CancelBooking']);

/**
 * A stateful stand-in for RIV-TA crm:scheduling 1.1 producers behind the national service
 * platform: one process serves every care unit, routed by the RIVTABP21 `LogicalAddress` header.
 * Every request and every response is validated against the official schemas. The protocol's
 * quirks are reproduced on purpose: offset-less Swedish wall times, `resultCode` ERROR inside an
 * HTTP 200, faults for malformed requests and unknown addresses, no idempotency, no holds.
 */
export function createRivtaSimulator(options: RivtaSimulatorOptions = {}): RivtaSimulator {
  const seed = options.seed ?? defaultSeed;
  const clock = options.clock ?? (() => new Date());
  const logger = options.logger ?? silentLogger;
  const randomSeed = options.randomSeed ?? 1;
  const validator: SchemaValidator = createSchemaValidator(
    options.standardsDir ?? standardsDirFromEnvironment(),
  );
  const names = codeNames(seed.timeTypes, seed.careTypes);
  const initialStats = (): SimulatorStats => ({
    requests: 0,
    faults: 0,
    invalidRequests: 0,
    invalidResponses: 0,
    lastProblems: [],
  });

  let stats = initialStats();
  let bookingCounter = 0;
  const seedUnits = (): Map<string, CareUnitStore> => {
    bookingCounter = 0;
    return new Map(
      seed.units.map((unit) => [
        unit.logicalAddress,
        createCareUnitStore(unit, {
          clock,
          settings: (): RivtaKnobs => control.config,
          names,
          seed: randomSeed,
          nextBookingId: () => {
            bookingCounter += 1;
            return `BK${String(bookingCounter).padStart(8, '0')}`;
          },
        }),
      ]),
    );
  };
  let units = seedUnits();
  let url = '';

  const control: SimulatorControl<RivtaKnobs> = createSimulatorControl<RivtaKnobs>({
    connectionsKey: 'units',
    connectionIds: () => units.keys(),
    defaults: {
      latencyMs: options.latencyMs ?? 0,
      responseDelayMs: options.responseDelayMs ?? 0,
      faultRate: options.faultRate ?? 0,
    },
    vendorDefaults: () => ({
      daysAhead: options.daysAhead,
      cancelCutoffMinutes: options.cancelCutoffMinutes ?? 60,
      bookingLeadMinutes: options.bookingLeadMinutes ?? 120,
      otherPatientsShare: options.otherPatientsShare ?? 0.12,
    }),
    vendorKnobs: {
      // `null` goes back to each facility's own horizon.
      daysAhead: z.number().int().min(0).max(365).nullable().optional(),
      cancelCutoffMinutes: z.number().int().min(0).max(10_080).optional(),
      bookingLeadMinutes: z.number().int().min(0).max(10_080).optional(),
      otherPatientsShare: z.number().min(0).max(1).optional(),
    },
    seed: randomSeed,
    logger,
    onReset: () => {
      stats = initialStats();
      units = seedUnits();
    },
  });

  function refuse(error: SoapFault, fields: Record<string, unknown>): Answer {
    stats.faults += 1;
    logger.info('soap fault', { ...fields, faultCode: error.faultCode });
    return fault(error);
  }

  /** One SOAP call: the answer, or `null` when the response is deliberately lost. */
  async function handleSoap(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    interaction: Interaction,
  ): Promise<Answer | null> {
    stats.requests += 1;
    const where = { interaction: interaction.name };
    const contentType = req.headers['content-type'] ?? '';
    if (!/^text\/xml\b/i.test(contentType)) {
      return refuse(new SoapFault('Client', 'SOAP 1.1 requests are sent as text/xml.'), where);
    }
    const action = req.headers.soapaction;
    const soapAction = (Array.isArray(action) ? action[0] : action)?.trim().replace(/^"|"$/g, '');
    if (soapAction && soapAction !== interaction.soapAction) {
      return refuse(
        new SoapFault('Client', `SOAPAction ${soapAction} does not match the endpoint.`),
        where,
      );
    }
    let request: ReturnType<typeof parseRequest>;
    try {
      request = parseRequest(await readBody(req), interaction, validator, (problems) => {
        stats.invalidRequests += 1;
        stats.lastProblems = [...problems];
        // Problems quote values, and values may be patient data: only their number is logged.
        logger.warn('request failed schema validation', { ...where, problems: problems.length });
      });
    } catch (error) {
      if (error instanceof SoapFault) return refuse(error, where);
      throw error;
    }
    const address = request.logicalAddress;
    if (!units.has(address)) {
      return refuse(
        new SoapFault(
          'Client',
          `VP004 No Logical Adress found for serviceNamespace:${interaction.namespace}, receiverId:${address}`,
        ),
        { ...where, logicalAddress: address },
      );
    }
    const access = writes.has(interaction.name) ? 'write' : 'read';
    const admission = await control.admit({ connection: address, access, res });
    if (admission.kind === 'dropped') return null;
    if (admission.kind === 'refuse') {
      const answer = refuse(
        new SoapFault(
          'Server',
          admission.status === 429
            ? `VP011 Too many requests to service producer at address ${address}`
            : `VP009 Error connecting to service producer at address ${address}`,
        ),
        { ...where, logicalAddress: address },
      );
      // SOAP 1.1 answers every fault with 500, whichever 5xx the control protocol asked for.
      if (admission.status !== 429) return answer;
      return {
        ...answer,
        status: 429,
        ...(admission.retryAfterSeconds !== undefined && {
          headers: { 'retry-after': String(admission.retryAfterSeconds) },
        }),
      };
    }
    // Looked up after the wait: a reset in between replaces the stores.
    const store = units.get(address);
    if (!store) return refuse(new SoapFault('Server', 'The unit was reset.'), where);
    let content: ReturnType<typeof handleInteraction>;
    try {
      content = handleInteraction(
        interaction.name,
        { store, timeTypes: seed.timeTypes, careTypes: seed.careTypes },
        request,
      );
    } catch (error) {
      if (error instanceof SoapFault) return refuse(error, { ...where, logicalAddress: address });
      throw error;
    }
    let body: string;
    try {
      body = buildResponse(interaction, content, validator);
    } catch (error) {
      stats.invalidResponses += 1;
      stats.lastProblems = [(error as Error).message];
      throw error;
    }
    const resultCode = content[`${prefixes.responder}:resultCode`];
    const succeeded = resultCode !== 'ERROR';
    if (!(await control.beforeAnswer({ connection: address, access, res, succeeded }))) {
      return null;
    }
    return soap(200, body);
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const requestUrl = new URL(req.url ?? '/', 'http://rivta.invalid');
    const path = requestUrl.pathname;
    if (req.method === 'GET' && (path === '/health/live' || path === '/health/ready')) {
      return send(res, json(200, { ok: true }));
    }
    if (await control.handleAdmin(req, res)) return;
    if (path === '/_admin/clinic-changes') {
      if (req.method !== 'POST') {
        return send(
          res,
          json(405, { error: 'method_not_allowed', message: 'Changes are POSTed.' }),
        );
      }
      return send(res, await answerClinicChange(() => units, req, logger));
    }
    const admin = /^\/_admin\/([a-z]+)$/.exec(path);
    if (admin)
      return send(res, routeOwnAdmin(units, stats, req, admin[1]!, requestUrl.searchParams));
    const interaction = interactionAt(path);
    if (!interaction)
      return send(res, json(404, { error: 'not_found', message: 'No such endpoint.' }));
    if (req.method !== 'POST') {
      return send(
        res,
        json(405, { error: 'method_not_allowed', message: 'SOAP calls are POSTs.' }),
      );
    }
    const answer = await handleSoap(req, res, interaction);
    if (answer) send(res, answer);
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (error instanceof BodyTooLarge) {
        if (!res.headersSent) send(res, fault(new SoapFault('Client', 'Message over 1 MiB.')));
        return;
      }
      logger.warn('request failed', { path: req.url, error: String(error) });
      if (res.headersSent) res.destroy();
      else send(res, fault(new SoapFault('Server', 'Internal error.')));
    });
  });

  return {
    get url() {
      return url;
    },
    get state() {
      return { config: control.config, units, stats };
    },
    async listen(port, host = '127.0.0.1') {
      ({ url } = await listenOn(server, port, host));
      return url;
    },
    async close() {
      await closeAtOnce(server);
    },
  };
}
