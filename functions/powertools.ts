// The one Powertools logger; every module logs through it so request ids and service name travel with each line.
import { Logger } from '@aws-lambda-powertools/logger';

export const logger = new Logger({ serviceName: 'voice-personalities' });
