import { registerEnumType } from 'type-graphql';

/** The legal nature of an organisation, as admission rules see it. */
export enum OrganisationKind {
  COMPANY = 'COMPANY',
  HIGHER_EDUCATION = 'HIGHER_EDUCATION',
  RESEARCH_LAB = 'RESEARCH_LAB',
  PUBLIC_BODY = 'PUBLIC_BODY',
  ASSOCIATION = 'ASSOCIATION',
  CLUSTER = 'CLUSTER',
  BUSINESS_CLUB = 'BUSINESS_CLUB',
  IT_USERS_ASSOCIATION = 'IT_USERS_ASSOCIATION',
  CIO_CLUB = 'CIO_CLUB',
  OTHER = 'OTHER',
}

registerEnumType(OrganisationKind, {
  name: 'OrganisationKind',
  description: 'The legal nature of an organisation.',
  valuesConfig: {
    COMPANY: { description: 'A company (start-up, TPE, PME, ETI or large group).' },
    HIGHER_EDUCATION: { description: 'A university, engineering or business school.' },
    RESEARCH_LAB: { description: 'A public or private research laboratory.' },
    PUBLIC_BODY: { description: 'A public body: local authority, agency, chamber of commerce.' },
    ASSOCIATION: { description: 'An association (loi 1901) other than the kinds below.' },
    CLUSTER: { description: 'A cluster or competitiveness pole of digital-offer companies.' },
    BUSINESS_CLUB: { description: 'A business club.' },
    IT_USERS_ASSOCIATION: { description: 'An association targeting companies that use IT (not the digital offer).' },
    CIO_CLUB: { description: 'A club of CIOs (DSI).' },
    OTHER: { description: 'Anything else.' },
  },
});
