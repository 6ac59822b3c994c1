import 'reflect-metadata';

/** One handler parameter: its Nest parameter decorator and the type the pipes (and Swagger) see. */
export type RouteParam = readonly [decorator: ParameterDecorator, type: unknown];

/**
 * Adds a handler to a controller class as if it had been written there with these decorators: Nest
 * routes it and Swagger documents it from the same metadata. The parameter types play the part of
 * `design:paramtypes`, so the validation pipe checks a body against its declared DTO.
 */
export function defineTableRoute(
  proto: object,
  name: string,
  handler: (...args: never[]) => unknown,
  decorators: readonly MethodDecorator[],
  params: readonly RouteParam[],
): void {
  // Nest and Swagger look a handler's metadata up by the function's own name.
  Object.defineProperty(handler, 'name', { value: name });
  Object.defineProperty(proto, name, { value: handler, writable: true, configurable: true, enumerable: false });
  const all: MethodDecorator[] = [
    ...decorators,
    ...params.map(
      ([decorate], i): MethodDecorator =>
        (target, key) =>
          decorate(target, key, i),
    ),
    Reflect.metadata('design:type', Function),
    Reflect.metadata(
      'design:paramtypes',
      params.map(([, type]) => type),
    ),
    Reflect.metadata('design:returntype', undefined),
  ];
  const descriptor = Reflect.decorate(all, proto, name, Object.getOwnPropertyDescriptor(proto, name));
  if (descriptor) Object.defineProperty(proto, name, descriptor);
}

/**
 * Nest serves, and Swagger lists, a controller's routes in the order of its prototype's methods:
 * moves the methods declared after `anchor` behind any added since, so added routes sit right
 * after `anchor`, where hand-written ones would have been.
 */
export function keepAfter(proto: object, anchor: string, added: readonly string[]): void {
  const names = Object.getOwnPropertyNames(proto);
  const later = names.slice(names.indexOf(anchor) + 1).filter((n) => !added.includes(n));
  for (const name of later) {
    const descriptor = Object.getOwnPropertyDescriptor(proto, name);
    if (!descriptor) continue;
    Reflect.deleteProperty(proto, name);
    Object.defineProperty(proto, name, descriptor);
  }
}
