import { Query, Resolver } from 'type-graphql';
import { referenceData } from '../services/reports/reference-data';
import { ReferenceData } from '../schema/reference-data.types';

@Resolver()
export class ReferenceDataResolver {
  @Query(() => ReferenceData, {
    description: 'Every code list of the API with Vietnamese and English labels.',
  })
  referenceData(): ReferenceData {
    return referenceData;
  }
}
