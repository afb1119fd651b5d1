import { Field, InputType } from 'type-graphql';
import type {
  CustomerLabelChanges,
  CustomerLabelInput as CreateFields,
} from '../../services/customers/customer-label.service';

@InputType()
export class CustomerLabelInput implements CreateFields {
  @Field({ description: 'Unique, 1 to 32 letters, digits, "_" or "-"; stored in upper case.' })
  code!: string;

  @Field()
  name!: string;

  @Field(() => String, { nullable: true, description: '#rrggbb' })
  color?: string | null;
}

@InputType({ description: 'A field left out stays; a null color clears it.' })
export class UpdateCustomerLabelInput implements CustomerLabelChanges {
  @Field(() => String, { nullable: true })
  code?: string | null;

  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => String, { nullable: true })
  color?: string | null;
}
