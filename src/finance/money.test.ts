import { graphql, GraphQLObjectType, GraphQLSchema, GraphQLString } from 'graphql';
import { formatEuros, MoneyScalar, parseCents } from './money.js';

describe('parseCents', () => {
  it.each([
    ['0', 0n],
    ['100000000', 100_000_000n],
    ['-250', -250n],
    [987_654_321, 987_654_321n],
    ['9223372036854775807', 9_223_372_036_854_775_807n],
  ])('reads %p', (value, expected) => {
    expect(parseCents(value)).toBe(expected);
  });

  it.each(['12.5', '12.50', '1e3', '', ' 1', '01', '+1', 12.5, 2 ** 53, '9223372036854775808', null, true, {}])('refuses %p', (value) => {
    expect(() => parseCents(value)).toThrow(/integer number of euro cents/);
  });
});

describe('formatEuros', () => {
  it.each([
    [0n, '0.00'],
    [5n, '0.05'],
    [123_456n, '1234.56'],
    [-4_500_000n, '-45000.00'],
    [9_223_372_036_854_775_807n, '92233720368547758.07'],
  ])('%p cents are %p €', (cents, euros) => {
    expect(formatEuros(cents)).toBe(euros);
  });
});

describe('Money on the wire', () => {
  const schema = new GraphQLSchema({
    query: new GraphQLObjectType({
      name: 'Query',
      fields: {
        echo: {
          type: MoneyScalar,
          args: { amount: { type: MoneyScalar } },
          resolve: (_root, args: { amount: bigint }) => args.amount * 2n,
        },
        label: { type: GraphQLString, resolve: () => 'x' },
      },
    }),
  });

  it('carries cents beyond 32 and 53 bits exactly, as a string', async () => {
    const result = await graphql({ schema, source: 'query($a: Money) { echo(amount: $a) }', variableValues: { a: '4611686018427387903' } });
    expect(result).toEqual({ data: { echo: '9223372036854775806' } });
    const literal = await graphql({ schema, source: '{ echo(amount: 3000000000) }' });
    expect(literal).toEqual({ data: { echo: '6000000000' } });
  });

  it('refuses fractions in variables and literals', async () => {
    const variable = await graphql({ schema, source: 'query($a: Money) { echo(amount: $a) }', variableValues: { a: 10.5 } });
    expect(variable.errors?.[0].message).toMatch(/integer number of euro cents/);
    const literal = await graphql({ schema, source: '{ echo(amount: 10.5) }' });
    expect(literal.errors?.[0].message).toMatch(/integer number of euro cents/);
  });
});
