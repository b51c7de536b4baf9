/*eslint-disable block-scoped-var, id-length, no-control-regex, no-magic-numbers, no-mixed-operators, no-prototype-builtins, no-redeclare, no-shadow, no-var, sort-vars, default-case, jsdoc/require-param*/
import $protobuf from "protobufjs/minimal.js";

// Common aliases
const $Reader = $protobuf.Reader, $Writer = $protobuf.Writer, $util = $protobuf.util;
const $Object = $util.global.Object, $undefined = $util.global.undefined, $Error = $util.global.Error, $RangeError = $util.global.RangeError, $TypeError = $util.global.TypeError, $String = $util.global.String, $Number = $util.global.Number, $parseInt = $util.global.parseInt, $BigInt = $util.global.BigInt, $Array = $util.global.Array, $Boolean = $util.global.Boolean;

// Exported root namespace
const $root = $protobuf.roots["default"] || ($protobuf.roots["default"] = {});

export const tally = $root.tally = (() => {

    /**
     * Namespace tally.
     * @exports tally
     * @namespace
     */
    const tally = {};

    tally.agent = (function() {

        /**
         * Namespace agent.
         * @memberof tally
         * @namespace
         */
        const agent = {};

        agent.v1 = (function() {

            /**
             * Namespace v1.
             * @memberof tally.agent
             * @namespace
             */
            const v1 = {};

            v1.AgentEnvelope = (function() {

                /**
                 * Properties of an AgentEnvelope.
                 * @typedef {Object} tally.agent.v1.AgentEnvelope.$Properties
                 * @property {tally.agent.v1.Hello.$Properties|null} [hello] AgentEnvelope hello
                 * @property {tally.agent.v1.Inventory.$Properties|null} [inventory] AgentEnvelope inventory
                 * @property {tally.agent.v1.UsageBatch.$Properties|null} [usage] AgentEnvelope usage
                 * @property {tally.agent.v1.EventBatch.$Properties|null} [events] AgentEnvelope events
                 * @property {"hello"|"inventory"|"usage"|"events"} [body] AgentEnvelope body
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of an AgentEnvelope.
                 * @memberof tally.agent.v1
                 * @interface IAgentEnvelope
                 * @augments tally.agent.v1.AgentEnvelope.$Properties
                 * @deprecated Use tally.agent.v1.AgentEnvelope.$Properties instead.
                 */

                /**
                 * Narrowed shape of an AgentEnvelope.
                 * @typedef {{
                 *   hello?: tally.agent.v1.Hello.$Shape|null;
                 *   inventory?: tally.agent.v1.Inventory.$Shape|null;
                 *   usage?: tally.agent.v1.UsageBatch.$Shape|null;
                 *   events?: tally.agent.v1.EventBatch.$Shape|null;
                 *   $unknowns?: Array.<Uint8Array>;
                 * } & (
                 *   ({ body?: undefined; hello?: null; inventory?: null; usage?: null; events?: null }|{ body?: "hello"; hello: tally.agent.v1.Hello.$Shape; inventory?: null; usage?: null; events?: null }|{ body?: "inventory"; hello?: null; inventory: tally.agent.v1.Inventory.$Shape; usage?: null; events?: null }|{ body?: "usage"; hello?: null; inventory?: null; usage: tally.agent.v1.UsageBatch.$Shape; events?: null }|{ body?: "events"; hello?: null; inventory?: null; usage?: null; events: tally.agent.v1.EventBatch.$Shape })
                 * )} tally.agent.v1.AgentEnvelope.$Shape
                 */

                /**
                 * Constructs a new AgentEnvelope.
                 * @memberof tally.agent.v1
                 * @classdesc Represents an AgentEnvelope.
                 * @constructor
                 * @param {tally.agent.v1.AgentEnvelope.$Properties=} [properties] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const AgentEnvelope = function (properties) {
                    if (properties)
                        for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };

                /**
                 * AgentEnvelope hello.
                 * @member {tally.agent.v1.Hello.$Properties|null|undefined} hello
                 * @memberof tally.agent.v1.AgentEnvelope
                 * @instance
                 */
                AgentEnvelope.prototype.hello = null;

                /**
                 * AgentEnvelope inventory.
                 * @member {tally.agent.v1.Inventory.$Properties|null|undefined} inventory
                 * @memberof tally.agent.v1.AgentEnvelope
                 * @instance
                 */
                AgentEnvelope.prototype.inventory = null;

                /**
                 * AgentEnvelope usage.
                 * @member {tally.agent.v1.UsageBatch.$Properties|null|undefined} usage
                 * @memberof tally.agent.v1.AgentEnvelope
                 * @instance
                 */
                AgentEnvelope.prototype.usage = null;

                /**
                 * AgentEnvelope events.
                 * @member {tally.agent.v1.EventBatch.$Properties|null|undefined} events
                 * @memberof tally.agent.v1.AgentEnvelope
                 * @instance
                 */
                AgentEnvelope.prototype.events = null;

                // OneOf field names bound to virtual getters and setters
                let $oneOfFields;

                /**
                 * AgentEnvelope body.
                 * @member {"hello"|"inventory"|"usage"|"events"|undefined} body
                 * @memberof tally.agent.v1.AgentEnvelope
                 * @instance
                 */
                $Object.defineProperty(AgentEnvelope.prototype, "body", {
                    get: $util.oneOfGetter($oneOfFields = ["hello", "inventory", "usage", "events"]),
                    set: $util.oneOfSetter($oneOfFields)
                });

                /**
                 * Creates a new AgentEnvelope instance using the specified properties.
                 * @function create
                 * @memberof tally.agent.v1.AgentEnvelope
                 * @static
                 * @param {tally.agent.v1.AgentEnvelope.$Properties=} [properties] Properties to set
                 * @returns {tally.agent.v1.AgentEnvelope} AgentEnvelope instance
                 * @type {{
                 *   (properties: tally.agent.v1.AgentEnvelope.$Shape): tally.agent.v1.AgentEnvelope & tally.agent.v1.AgentEnvelope.$Shape;
                 *   (properties?: tally.agent.v1.AgentEnvelope.$Properties): tally.agent.v1.AgentEnvelope;
                 * }}
                 */
                AgentEnvelope.create = function(properties) {
                    return new AgentEnvelope(properties);
                };

                /**
                 * Encodes the specified AgentEnvelope message. Does not implicitly {@link tally.agent.v1.AgentEnvelope.verify|verify} messages.
                 * @function encode
                 * @memberof tally.agent.v1.AgentEnvelope
                 * @static
                 * @param {tally.agent.v1.AgentEnvelope.$Properties} message AgentEnvelope message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                AgentEnvelope.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.hello != null && $Object.hasOwnProperty.call(message, "hello"))
                        $root.tally.agent.v1.Hello.encode(message.hello, writer.uint32(/* id 1, wireType 2 =*/10).fork(), _depth + 1).ldelim();
                    if (message.inventory != null && $Object.hasOwnProperty.call(message, "inventory"))
                        $root.tally.agent.v1.Inventory.encode(message.inventory, writer.uint32(/* id 2, wireType 2 =*/18).fork(), _depth + 1).ldelim();
                    if (message.usage != null && $Object.hasOwnProperty.call(message, "usage"))
                        $root.tally.agent.v1.UsageBatch.encode(message.usage, writer.uint32(/* id 3, wireType 2 =*/26).fork(), _depth + 1).ldelim();
                    if (message.events != null && $Object.hasOwnProperty.call(message, "events"))
                        $root.tally.agent.v1.EventBatch.encode(message.events, writer.uint32(/* id 4, wireType 2 =*/34).fork(), _depth + 1).ldelim();
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (let i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };

                /**
                 * Encodes the specified AgentEnvelope message, length delimited. Does not implicitly {@link tally.agent.v1.AgentEnvelope.verify|verify} messages.
                 * @function encodeDelimited
                 * @memberof tally.agent.v1.AgentEnvelope
                 * @static
                 * @param {tally.agent.v1.AgentEnvelope.$Properties} message AgentEnvelope message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                AgentEnvelope.encodeDelimited = function(message, writer) {
                    return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
                };

                /**
                 * Decodes an AgentEnvelope message from the specified reader or buffer.
                 * @function decode
                 * @memberof tally.agent.v1.AgentEnvelope
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @param {number} [length] Message length if known beforehand
                 * @returns {tally.agent.v1.AgentEnvelope & tally.agent.v1.AgentEnvelope.$Shape} AgentEnvelope
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                AgentEnvelope.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    let end, message;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.tally.agent.v1.AgentEnvelope();
                    while (reader.pos < end) {
                        let start = reader.pos;
                        let tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        let wireType = tag & 7;
                        switch (tag >>>= 3) {
                        case 1: {
                                if (wireType !== 2)
                                    break;
                                message.hello = $root.tally.agent.v1.Hello.decode(reader, reader.size(), $undefined, _depth + 1, message.hello);
                                message.body = "hello";
                                continue;
                            }
                        case 2: {
                                if (wireType !== 2)
                                    break;
                                message.inventory = $root.tally.agent.v1.Inventory.decode(reader, reader.size(), $undefined, _depth + 1, message.inventory);
                                message.body = "inventory";
                                continue;
                            }
                        case 3: {
                                if (wireType !== 2)
                                    break;
                                message.usage = $root.tally.agent.v1.UsageBatch.decode(reader, reader.size(), $undefined, _depth + 1, message.usage);
                                message.body = "usage";
                                continue;
                            }
                        case 4: {
                                if (wireType !== 2)
                                    break;
                                message.events = $root.tally.agent.v1.EventBatch.decode(reader, reader.size(), $undefined, _depth + 1, message.events);
                                message.body = "events";
                                continue;
                            }
                        }
                        reader.skipType(wireType, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };

                /**
                 * Decodes an AgentEnvelope message from the specified reader or buffer, length delimited.
                 * @function decodeDelimited
                 * @memberof tally.agent.v1.AgentEnvelope
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @returns {tally.agent.v1.AgentEnvelope & tally.agent.v1.AgentEnvelope.$Shape} AgentEnvelope
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                AgentEnvelope.decodeDelimited = function(reader) {
                    if (!(reader instanceof $Reader))
                        reader = new $Reader(reader);
                    return this.decode(reader, reader.size());
                };

                /**
                 * Verifies an AgentEnvelope message.
                 * @function verify
                 * @memberof tally.agent.v1.AgentEnvelope
                 * @static
                 * @param {Object.<string,*>} message Plain object to verify
                 * @returns {string|null} `null` if valid, otherwise the reason why it is not
                 */
                AgentEnvelope.verify = function (message, _depth) {
                    if (typeof message !== "object" || message === null)
                        return "object expected";
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        return "max depth exceeded";
                    let properties = {};
                    if (message.hello != null && $Object.hasOwnProperty.call(message, "hello")) {
                        properties.body = 1;
                        {
                            let error = $root.tally.agent.v1.Hello.verify(message.hello, _depth + 1);
                            if (error)
                                return "hello." + error;
                        }
                    }
                    if (message.inventory != null && $Object.hasOwnProperty.call(message, "inventory")) {
                        if (properties.body === 1)
                            return "body: multiple values";
                        properties.body = 1;
                        {
                            let error = $root.tally.agent.v1.Inventory.verify(message.inventory, _depth + 1);
                            if (error)
                                return "inventory." + error;
                        }
                    }
                    if (message.usage != null && $Object.hasOwnProperty.call(message, "usage")) {
                        if (properties.body === 1)
                            return "body: multiple values";
                        properties.body = 1;
                        {
                            let error = $root.tally.agent.v1.UsageBatch.verify(message.usage, _depth + 1);
                            if (error)
                                return "usage." + error;
                        }
                    }
                    if (message.events != null && $Object.hasOwnProperty.call(message, "events")) {
                        if (properties.body === 1)
                            return "body: multiple values";
                        properties.body = 1;
                        {
                            let error = $root.tally.agent.v1.EventBatch.verify(message.events, _depth + 1);
                            if (error)
                                return "events." + error;
                        }
                    }
                    return null;
                };

                /**
                 * Creates an AgentEnvelope message from a plain object. Also converts values to their respective internal types.
                 * @function fromObject
                 * @memberof tally.agent.v1.AgentEnvelope
                 * @static
                 * @param {Object.<string,*>} object Plain object
                 * @returns {tally.agent.v1.AgentEnvelope} AgentEnvelope
                 */
                AgentEnvelope.fromObject = function (object, _depth) {
                    if (object instanceof $root.tally.agent.v1.AgentEnvelope)
                        return object;
                    if (!$util.isObject(object))
                        throw $TypeError(".tally.agent.v1.AgentEnvelope: object expected");
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let message = new $root.tally.agent.v1.AgentEnvelope();
                    if (object.hello != null) {
                        if (!$util.isObject(object.hello))
                            throw $TypeError(".tally.agent.v1.AgentEnvelope.hello: object expected");
                        message.hello = $root.tally.agent.v1.Hello.fromObject(object.hello, _depth + 1);
                    }
                    if (object.inventory != null) {
                        if (!$util.isObject(object.inventory))
                            throw $TypeError(".tally.agent.v1.AgentEnvelope.inventory: object expected");
                        message.inventory = $root.tally.agent.v1.Inventory.fromObject(object.inventory, _depth + 1);
                    }
                    if (object.usage != null) {
                        if (!$util.isObject(object.usage))
                            throw $TypeError(".tally.agent.v1.AgentEnvelope.usage: object expected");
                        message.usage = $root.tally.agent.v1.UsageBatch.fromObject(object.usage, _depth + 1);
                    }
                    if (object.events != null) {
                        if (!$util.isObject(object.events))
                            throw $TypeError(".tally.agent.v1.AgentEnvelope.events: object expected");
                        message.events = $root.tally.agent.v1.EventBatch.fromObject(object.events, _depth + 1);
                    }
                    return message;
                };

                /**
                 * Creates a plain object from an AgentEnvelope message. Also converts values to other types if specified.
                 * @function toObject
                 * @memberof tally.agent.v1.AgentEnvelope
                 * @static
                 * @param {tally.agent.v1.AgentEnvelope} message AgentEnvelope
                 * @param {$protobuf.IConversionOptions} [options] Conversion options
                 * @returns {Object.<string,*>} Plain object
                 */
                AgentEnvelope.toObject = function (message, options, _depth) {
                    if (!options)
                        options = {};
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let object = {};
                    if (message.hello != null && $Object.hasOwnProperty.call(message, "hello")) {
                        object.hello = $root.tally.agent.v1.Hello.toObject(message.hello, options, _depth + 1);
                        if (options.oneofs)
                            object.body = "hello";
                    }
                    if (message.inventory != null && $Object.hasOwnProperty.call(message, "inventory")) {
                        object.inventory = $root.tally.agent.v1.Inventory.toObject(message.inventory, options, _depth + 1);
                        if (options.oneofs)
                            object.body = "inventory";
                    }
                    if (message.usage != null && $Object.hasOwnProperty.call(message, "usage")) {
                        object.usage = $root.tally.agent.v1.UsageBatch.toObject(message.usage, options, _depth + 1);
                        if (options.oneofs)
                            object.body = "usage";
                    }
                    if (message.events != null && $Object.hasOwnProperty.call(message, "events")) {
                        object.events = $root.tally.agent.v1.EventBatch.toObject(message.events, options, _depth + 1);
                        if (options.oneofs)
                            object.body = "events";
                    }
                    return object;
                };

                /**
                 * Converts this AgentEnvelope to JSON.
                 * @function toJSON
                 * @memberof tally.agent.v1.AgentEnvelope
                 * @instance
                 * @returns {Object.<string,*>} JSON object
                 */
                AgentEnvelope.prototype.toJSON = function() {
                    return AgentEnvelope.toObject(this, $protobuf.util.toJSONOptions);
                };

                /**
                 * Gets the type url for AgentEnvelope
                 * @function getTypeUrl
                 * @memberof tally.agent.v1.AgentEnvelope
                 * @static
                 * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns {string} The type url
                 */
                AgentEnvelope.getTypeUrl = function(prefix) {
                    if (prefix === $undefined)
                        prefix = "type.googleapis.com";
                    return prefix + "/tally.agent.v1.AgentEnvelope";
                };

                return AgentEnvelope;
            })();

            v1.Hello = (function() {

                /**
                 * Properties of a Hello.
                 * @typedef {Object} tally.agent.v1.Hello.$Properties
                 * @property {string|null} [agentVersion] Hello agentVersion
                 * @property {string|null} [instanceId] Hello instanceId
                 * @property {tally.agent.v1.DeviceFacts.$Properties|null} [facts] Hello facts
                 * @property {number|null} [firstRunMs] Hello firstRunMs
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of a Hello.
                 * @memberof tally.agent.v1
                 * @interface IHello
                 * @augments tally.agent.v1.Hello.$Properties
                 * @deprecated Use tally.agent.v1.Hello.$Properties instead.
                 */

                /**
                 * Shape of a Hello.
                 * @typedef {tally.agent.v1.Hello.$Properties} tally.agent.v1.Hello.$Shape
                 */

                /**
                 * Constructs a new Hello.
                 * @memberof tally.agent.v1
                 * @classdesc Represents a Hello.
                 * @constructor
                 * @param {tally.agent.v1.Hello.$Properties=} [properties] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const Hello = function (properties) {
                    if (properties)
                        for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };

                /**
                 * Hello agentVersion.
                 * @member {string} agentVersion
                 * @memberof tally.agent.v1.Hello
                 * @instance
                 */
                Hello.prototype.agentVersion = "";

                /**
                 * Hello instanceId.
                 * @member {string} instanceId
                 * @memberof tally.agent.v1.Hello
                 * @instance
                 */
                Hello.prototype.instanceId = "";

                /**
                 * Hello facts.
                 * @member {tally.agent.v1.DeviceFacts.$Properties|null|undefined} facts
                 * @memberof tally.agent.v1.Hello
                 * @instance
                 */
                Hello.prototype.facts = null;

                /**
                 * Hello firstRunMs.
                 * @member {number} firstRunMs
                 * @memberof tally.agent.v1.Hello
                 * @instance
                 */
                Hello.prototype.firstRunMs = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

                /**
                 * Creates a new Hello instance using the specified properties.
                 * @function create
                 * @memberof tally.agent.v1.Hello
                 * @static
                 * @param {tally.agent.v1.Hello.$Properties=} [properties] Properties to set
                 * @returns {tally.agent.v1.Hello} Hello instance
                 * @type {{
                 *   (properties: tally.agent.v1.Hello.$Shape): tally.agent.v1.Hello & tally.agent.v1.Hello.$Shape;
                 *   (properties?: tally.agent.v1.Hello.$Properties): tally.agent.v1.Hello;
                 * }}
                 */
                Hello.create = function(properties) {
                    return new Hello(properties);
                };

                /**
                 * Encodes the specified Hello message. Does not implicitly {@link tally.agent.v1.Hello.verify|verify} messages.
                 * @function encode
                 * @memberof tally.agent.v1.Hello
                 * @static
                 * @param {tally.agent.v1.Hello.$Properties} message Hello message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                Hello.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.agentVersion != null && $Object.hasOwnProperty.call(message, "agentVersion") && message.agentVersion !== "")
                        writer.uint32(/* id 1, wireType 2 =*/10).string(message.agentVersion);
                    if (message.instanceId != null && $Object.hasOwnProperty.call(message, "instanceId") && message.instanceId !== "")
                        writer.uint32(/* id 2, wireType 2 =*/18).string(message.instanceId);
                    if (message.facts != null && $Object.hasOwnProperty.call(message, "facts"))
                        $root.tally.agent.v1.DeviceFacts.encode(message.facts, writer.uint32(/* id 3, wireType 2 =*/26).fork(), _depth + 1).ldelim();
                    if (message.firstRunMs != null && $Object.hasOwnProperty.call(message, "firstRunMs") && (typeof message.firstRunMs === "object" ? message.firstRunMs.low || message.firstRunMs.high : message.firstRunMs !== 0))
                        writer.uint32(/* id 4, wireType 0 =*/32).int64(message.firstRunMs);
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (let i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };

                /**
                 * Encodes the specified Hello message, length delimited. Does not implicitly {@link tally.agent.v1.Hello.verify|verify} messages.
                 * @function encodeDelimited
                 * @memberof tally.agent.v1.Hello
                 * @static
                 * @param {tally.agent.v1.Hello.$Properties} message Hello message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                Hello.encodeDelimited = function(message, writer) {
                    return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
                };

                /**
                 * Decodes a Hello message from the specified reader or buffer.
                 * @function decode
                 * @memberof tally.agent.v1.Hello
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @param {number} [length] Message length if known beforehand
                 * @returns {tally.agent.v1.Hello & tally.agent.v1.Hello.$Shape} Hello
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                Hello.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    let end, message, value;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.tally.agent.v1.Hello();
                    while (reader.pos < end) {
                        let start = reader.pos;
                        let tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        let wireType = tag & 7;
                        switch (tag >>>= 3) {
                        case 1: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.agentVersion = value;
                                else
                                    delete message.agentVersion;
                                continue;
                            }
                        case 2: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.instanceId = value;
                                else
                                    delete message.instanceId;
                                continue;
                            }
                        case 3: {
                                if (wireType !== 2)
                                    break;
                                message.facts = $root.tally.agent.v1.DeviceFacts.decode(reader, reader.size(), $undefined, _depth + 1, message.facts);
                                continue;
                            }
                        case 4: {
                                if (wireType !== 0)
                                    break;
                                if (typeof (value = reader.int64()) === "object" ? value.low || value.high : value !== 0)
                                    message.firstRunMs = value;
                                else
                                    delete message.firstRunMs;
                                continue;
                            }
                        }
                        reader.skipType(wireType, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };

                /**
                 * Decodes a Hello message from the specified reader or buffer, length delimited.
                 * @function decodeDelimited
                 * @memberof tally.agent.v1.Hello
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @returns {tally.agent.v1.Hello & tally.agent.v1.Hello.$Shape} Hello
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                Hello.decodeDelimited = function(reader) {
                    if (!(reader instanceof $Reader))
                        reader = new $Reader(reader);
                    return this.decode(reader, reader.size());
                };

                /**
                 * Verifies a Hello message.
                 * @function verify
                 * @memberof tally.agent.v1.Hello
                 * @static
                 * @param {Object.<string,*>} message Plain object to verify
                 * @returns {string|null} `null` if valid, otherwise the reason why it is not
                 */
                Hello.verify = function (message, _depth) {
                    if (typeof message !== "object" || message === null)
                        return "object expected";
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        return "max depth exceeded";
                    if (message.agentVersion != null && $Object.hasOwnProperty.call(message, "agentVersion"))
                        if (!$util.isString(message.agentVersion))
                            return "agentVersion: string expected";
                    if (message.instanceId != null && $Object.hasOwnProperty.call(message, "instanceId"))
                        if (!$util.isString(message.instanceId))
                            return "instanceId: string expected";
                    if (message.facts != null && $Object.hasOwnProperty.call(message, "facts")) {
                        let error = $root.tally.agent.v1.DeviceFacts.verify(message.facts, _depth + 1);
                        if (error)
                            return "facts." + error;
                    }
                    if (message.firstRunMs != null && $Object.hasOwnProperty.call(message, "firstRunMs"))
                        if (!$util.isInteger(message.firstRunMs) && !(message.firstRunMs && $util.isInteger(message.firstRunMs.low) && $util.isInteger(message.firstRunMs.high)))
                            return "firstRunMs: integer|Long expected";
                    return null;
                };

                /**
                 * Creates a Hello message from a plain object. Also converts values to their respective internal types.
                 * @function fromObject
                 * @memberof tally.agent.v1.Hello
                 * @static
                 * @param {Object.<string,*>} object Plain object
                 * @returns {tally.agent.v1.Hello} Hello
                 */
                Hello.fromObject = function (object, _depth) {
                    if (object instanceof $root.tally.agent.v1.Hello)
                        return object;
                    if (!$util.isObject(object))
                        throw $TypeError(".tally.agent.v1.Hello: object expected");
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let message = new $root.tally.agent.v1.Hello();
                    if (object.agentVersion != null)
                        if (typeof object.agentVersion !== "string" || object.agentVersion.length)
                            message.agentVersion = $String(object.agentVersion);
                    if (object.instanceId != null)
                        if (typeof object.instanceId !== "string" || object.instanceId.length)
                            message.instanceId = $String(object.instanceId);
                    if (object.facts != null) {
                        if (!$util.isObject(object.facts))
                            throw $TypeError(".tally.agent.v1.Hello.facts: object expected");
                        message.facts = $root.tally.agent.v1.DeviceFacts.fromObject(object.facts, _depth + 1);
                    }
                    if (object.firstRunMs != null)
                        if (typeof object.firstRunMs === "object" ? object.firstRunMs.low || object.firstRunMs.high : $Number(object.firstRunMs) !== 0)
                            if ($util.Long)
                                message.firstRunMs = $util.Long.fromValue(object.firstRunMs, false);
                            else if (typeof object.firstRunMs === "string")
                                message.firstRunMs = $parseInt(object.firstRunMs, 10);
                            else if (typeof object.firstRunMs === "number")
                                message.firstRunMs = object.firstRunMs;
                            else if (typeof object.firstRunMs === "object")
                                message.firstRunMs = new $util.LongBits(object.firstRunMs.low >>> 0, object.firstRunMs.high >>> 0).toNumber();
                    return message;
                };

                /**
                 * Creates a plain object from a Hello message. Also converts values to other types if specified.
                 * @function toObject
                 * @memberof tally.agent.v1.Hello
                 * @static
                 * @param {tally.agent.v1.Hello} message Hello
                 * @param {$protobuf.IConversionOptions} [options] Conversion options
                 * @returns {Object.<string,*>} Plain object
                 */
                Hello.toObject = function (message, options, _depth) {
                    if (!options)
                        options = {};
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let object = {};
                    if (options.defaults) {
                        object.agentVersion = "";
                        object.instanceId = "";
                        object.facts = null;
                        if ($util.Long) {
                            let long = new $util.Long(0, 0, false);
                            object.firstRunMs = options.longs === $String ? long.toString() : options.longs === $Number ? long.toNumber() : typeof $BigInt !== "undefined" && options.longs === $BigInt ? long.toBigInt() : long;
                        } else
                            object.firstRunMs = options.longs === $String ? "0" : typeof $BigInt !== "undefined" && options.longs === $BigInt ? $BigInt("0") : 0;
                    }
                    if (message.agentVersion != null && $Object.hasOwnProperty.call(message, "agentVersion"))
                        object.agentVersion = message.agentVersion;
                    if (message.instanceId != null && $Object.hasOwnProperty.call(message, "instanceId"))
                        object.instanceId = message.instanceId;
                    if (message.facts != null && $Object.hasOwnProperty.call(message, "facts"))
                        object.facts = $root.tally.agent.v1.DeviceFacts.toObject(message.facts, options, _depth + 1);
                    if (message.firstRunMs != null && $Object.hasOwnProperty.call(message, "firstRunMs"))
                        if (typeof $BigInt !== "undefined" && options.longs === $BigInt)
                            object.firstRunMs = typeof message.firstRunMs === "number" ? $BigInt(message.firstRunMs) : $util.Long.fromBits(message.firstRunMs.low >>> 0, message.firstRunMs.high >>> 0, false).toBigInt();
                        else if (typeof message.firstRunMs === "number")
                            object.firstRunMs = options.longs === $String ? $String(message.firstRunMs) : message.firstRunMs;
                        else
                            object.firstRunMs = options.longs === $String ? $util.Long.prototype.toString.call(message.firstRunMs) : options.longs === $Number ? new $util.LongBits(message.firstRunMs.low >>> 0, message.firstRunMs.high >>> 0).toNumber() : message.firstRunMs;
                    return object;
                };

                /**
                 * Converts this Hello to JSON.
                 * @function toJSON
                 * @memberof tally.agent.v1.Hello
                 * @instance
                 * @returns {Object.<string,*>} JSON object
                 */
                Hello.prototype.toJSON = function() {
                    return Hello.toObject(this, $protobuf.util.toJSONOptions);
                };

                /**
                 * Gets the type url for Hello
                 * @function getTypeUrl
                 * @memberof tally.agent.v1.Hello
                 * @static
                 * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns {string} The type url
                 */
                Hello.getTypeUrl = function(prefix) {
                    if (prefix === $undefined)
                        prefix = "type.googleapis.com";
                    return prefix + "/tally.agent.v1.Hello";
                };

                return Hello;
            })();

            v1.Inventory = (function() {

                /**
                 * Properties of an Inventory.
                 * @typedef {Object} tally.agent.v1.Inventory.$Properties
                 * @property {tally.agent.v1.RecordHeader.$Properties|null} [header] Inventory header
                 * @property {tally.agent.v1.DeviceFacts.$Properties|null} [facts] Inventory facts
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of an Inventory.
                 * @memberof tally.agent.v1
                 * @interface IInventory
                 * @augments tally.agent.v1.Inventory.$Properties
                 * @deprecated Use tally.agent.v1.Inventory.$Properties instead.
                 */

                /**
                 * Shape of an Inventory.
                 * @typedef {tally.agent.v1.Inventory.$Properties} tally.agent.v1.Inventory.$Shape
                 */

                /**
                 * Constructs a new Inventory.
                 * @memberof tally.agent.v1
                 * @classdesc Represents an Inventory.
                 * @constructor
                 * @param {tally.agent.v1.Inventory.$Properties=} [properties] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const Inventory = function (properties) {
                    if (properties)
                        for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };

                /**
                 * Inventory header.
                 * @member {tally.agent.v1.RecordHeader.$Properties|null|undefined} header
                 * @memberof tally.agent.v1.Inventory
                 * @instance
                 */
                Inventory.prototype.header = null;

                /**
                 * Inventory facts.
                 * @member {tally.agent.v1.DeviceFacts.$Properties|null|undefined} facts
                 * @memberof tally.agent.v1.Inventory
                 * @instance
                 */
                Inventory.prototype.facts = null;

                /**
                 * Creates a new Inventory instance using the specified properties.
                 * @function create
                 * @memberof tally.agent.v1.Inventory
                 * @static
                 * @param {tally.agent.v1.Inventory.$Properties=} [properties] Properties to set
                 * @returns {tally.agent.v1.Inventory} Inventory instance
                 * @type {{
                 *   (properties: tally.agent.v1.Inventory.$Shape): tally.agent.v1.Inventory & tally.agent.v1.Inventory.$Shape;
                 *   (properties?: tally.agent.v1.Inventory.$Properties): tally.agent.v1.Inventory;
                 * }}
                 */
                Inventory.create = function(properties) {
                    return new Inventory(properties);
                };

                /**
                 * Encodes the specified Inventory message. Does not implicitly {@link tally.agent.v1.Inventory.verify|verify} messages.
                 * @function encode
                 * @memberof tally.agent.v1.Inventory
                 * @static
                 * @param {tally.agent.v1.Inventory.$Properties} message Inventory message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                Inventory.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.header != null && $Object.hasOwnProperty.call(message, "header"))
                        $root.tally.agent.v1.RecordHeader.encode(message.header, writer.uint32(/* id 1, wireType 2 =*/10).fork(), _depth + 1).ldelim();
                    if (message.facts != null && $Object.hasOwnProperty.call(message, "facts"))
                        $root.tally.agent.v1.DeviceFacts.encode(message.facts, writer.uint32(/* id 2, wireType 2 =*/18).fork(), _depth + 1).ldelim();
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (let i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };

                /**
                 * Encodes the specified Inventory message, length delimited. Does not implicitly {@link tally.agent.v1.Inventory.verify|verify} messages.
                 * @function encodeDelimited
                 * @memberof tally.agent.v1.Inventory
                 * @static
                 * @param {tally.agent.v1.Inventory.$Properties} message Inventory message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                Inventory.encodeDelimited = function(message, writer) {
                    return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
                };

                /**
                 * Decodes an Inventory message from the specified reader or buffer.
                 * @function decode
                 * @memberof tally.agent.v1.Inventory
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @param {number} [length] Message length if known beforehand
                 * @returns {tally.agent.v1.Inventory & tally.agent.v1.Inventory.$Shape} Inventory
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                Inventory.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    let end, message, value;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.tally.agent.v1.Inventory();
                    while (reader.pos < end) {
                        let start = reader.pos;
                        let tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        let wireType = tag & 7;
                        switch (tag >>>= 3) {
                        case 1: {
                                if (wireType !== 2)
                                    break;
                                message.header = $root.tally.agent.v1.RecordHeader.decode(reader, reader.size(), $undefined, _depth + 1, message.header);
                                continue;
                            }
                        case 2: {
                                if (wireType !== 2)
                                    break;
                                message.facts = $root.tally.agent.v1.DeviceFacts.decode(reader, reader.size(), $undefined, _depth + 1, message.facts);
                                continue;
                            }
                        }
                        reader.skipType(wireType, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };

                /**
                 * Decodes an Inventory message from the specified reader or buffer, length delimited.
                 * @function decodeDelimited
                 * @memberof tally.agent.v1.Inventory
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @returns {tally.agent.v1.Inventory & tally.agent.v1.Inventory.$Shape} Inventory
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                Inventory.decodeDelimited = function(reader) {
                    if (!(reader instanceof $Reader))
                        reader = new $Reader(reader);
                    return this.decode(reader, reader.size());
                };

                /**
                 * Verifies an Inventory message.
                 * @function verify
                 * @memberof tally.agent.v1.Inventory
                 * @static
                 * @param {Object.<string,*>} message Plain object to verify
                 * @returns {string|null} `null` if valid, otherwise the reason why it is not
                 */
                Inventory.verify = function (message, _depth) {
                    if (typeof message !== "object" || message === null)
                        return "object expected";
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        return "max depth exceeded";
                    if (message.header != null && $Object.hasOwnProperty.call(message, "header")) {
                        let error = $root.tally.agent.v1.RecordHeader.verify(message.header, _depth + 1);
                        if (error)
                            return "header." + error;
                    }
                    if (message.facts != null && $Object.hasOwnProperty.call(message, "facts")) {
                        let error = $root.tally.agent.v1.DeviceFacts.verify(message.facts, _depth + 1);
                        if (error)
                            return "facts." + error;
                    }
                    return null;
                };

                /**
                 * Creates an Inventory message from a plain object. Also converts values to their respective internal types.
                 * @function fromObject
                 * @memberof tally.agent.v1.Inventory
                 * @static
                 * @param {Object.<string,*>} object Plain object
                 * @returns {tally.agent.v1.Inventory} Inventory
                 */
                Inventory.fromObject = function (object, _depth) {
                    if (object instanceof $root.tally.agent.v1.Inventory)
                        return object;
                    if (!$util.isObject(object))
                        throw $TypeError(".tally.agent.v1.Inventory: object expected");
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let message = new $root.tally.agent.v1.Inventory();
                    if (object.header != null) {
                        if (!$util.isObject(object.header))
                            throw $TypeError(".tally.agent.v1.Inventory.header: object expected");
                        message.header = $root.tally.agent.v1.RecordHeader.fromObject(object.header, _depth + 1);
                    }
                    if (object.facts != null) {
                        if (!$util.isObject(object.facts))
                            throw $TypeError(".tally.agent.v1.Inventory.facts: object expected");
                        message.facts = $root.tally.agent.v1.DeviceFacts.fromObject(object.facts, _depth + 1);
                    }
                    return message;
                };

                /**
                 * Creates a plain object from an Inventory message. Also converts values to other types if specified.
                 * @function toObject
                 * @memberof tally.agent.v1.Inventory
                 * @static
                 * @param {tally.agent.v1.Inventory} message Inventory
                 * @param {$protobuf.IConversionOptions} [options] Conversion options
                 * @returns {Object.<string,*>} Plain object
                 */
                Inventory.toObject = function (message, options, _depth) {
                    if (!options)
                        options = {};
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let object = {};
                    if (options.defaults) {
                        object.header = null;
                        object.facts = null;
                    }
                    if (message.header != null && $Object.hasOwnProperty.call(message, "header"))
                        object.header = $root.tally.agent.v1.RecordHeader.toObject(message.header, options, _depth + 1);
                    if (message.facts != null && $Object.hasOwnProperty.call(message, "facts"))
                        object.facts = $root.tally.agent.v1.DeviceFacts.toObject(message.facts, options, _depth + 1);
                    return object;
                };

                /**
                 * Converts this Inventory to JSON.
                 * @function toJSON
                 * @memberof tally.agent.v1.Inventory
                 * @instance
                 * @returns {Object.<string,*>} JSON object
                 */
                Inventory.prototype.toJSON = function() {
                    return Inventory.toObject(this, $protobuf.util.toJSONOptions);
                };

                /**
                 * Gets the type url for Inventory
                 * @function getTypeUrl
                 * @memberof tally.agent.v1.Inventory
                 * @static
                 * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns {string} The type url
                 */
                Inventory.getTypeUrl = function(prefix) {
                    if (prefix === $undefined)
                        prefix = "type.googleapis.com";
                    return prefix + "/tally.agent.v1.Inventory";
                };

                return Inventory;
            })();

            v1.RecordHeader = (function() {

                /**
                 * Properties of a RecordHeader.
                 * @typedef {Object} tally.agent.v1.RecordHeader.$Properties
                 * @property {string|null} [stream] RecordHeader stream
                 * @property {number|null} [seq] RecordHeader seq
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of a RecordHeader.
                 * @memberof tally.agent.v1
                 * @interface IRecordHeader
                 * @augments tally.agent.v1.RecordHeader.$Properties
                 * @deprecated Use tally.agent.v1.RecordHeader.$Properties instead.
                 */

                /**
                 * Shape of a RecordHeader.
                 * @typedef {tally.agent.v1.RecordHeader.$Properties} tally.agent.v1.RecordHeader.$Shape
                 */

                /**
                 * Constructs a new RecordHeader.
                 * @memberof tally.agent.v1
                 * @classdesc Represents a RecordHeader.
                 * @constructor
                 * @param {tally.agent.v1.RecordHeader.$Properties=} [properties] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const RecordHeader = function (properties) {
                    if (properties)
                        for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };

                /**
                 * RecordHeader stream.
                 * @member {string} stream
                 * @memberof tally.agent.v1.RecordHeader
                 * @instance
                 */
                RecordHeader.prototype.stream = "";

                /**
                 * RecordHeader seq.
                 * @member {number} seq
                 * @memberof tally.agent.v1.RecordHeader
                 * @instance
                 */
                RecordHeader.prototype.seq = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

                /**
                 * Creates a new RecordHeader instance using the specified properties.
                 * @function create
                 * @memberof tally.agent.v1.RecordHeader
                 * @static
                 * @param {tally.agent.v1.RecordHeader.$Properties=} [properties] Properties to set
                 * @returns {tally.agent.v1.RecordHeader} RecordHeader instance
                 * @type {{
                 *   (properties: tally.agent.v1.RecordHeader.$Shape): tally.agent.v1.RecordHeader & tally.agent.v1.RecordHeader.$Shape;
                 *   (properties?: tally.agent.v1.RecordHeader.$Properties): tally.agent.v1.RecordHeader;
                 * }}
                 */
                RecordHeader.create = function(properties) {
                    return new RecordHeader(properties);
                };

                /**
                 * Encodes the specified RecordHeader message. Does not implicitly {@link tally.agent.v1.RecordHeader.verify|verify} messages.
                 * @function encode
                 * @memberof tally.agent.v1.RecordHeader
                 * @static
                 * @param {tally.agent.v1.RecordHeader.$Properties} message RecordHeader message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                RecordHeader.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.stream != null && $Object.hasOwnProperty.call(message, "stream") && message.stream !== "")
                        writer.uint32(/* id 1, wireType 2 =*/10).string(message.stream);
                    if (message.seq != null && $Object.hasOwnProperty.call(message, "seq") && (typeof message.seq === "object" ? message.seq.low || message.seq.high : message.seq !== 0))
                        writer.uint32(/* id 2, wireType 0 =*/16).uint64(message.seq);
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (let i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };

                /**
                 * Encodes the specified RecordHeader message, length delimited. Does not implicitly {@link tally.agent.v1.RecordHeader.verify|verify} messages.
                 * @function encodeDelimited
                 * @memberof tally.agent.v1.RecordHeader
                 * @static
                 * @param {tally.agent.v1.RecordHeader.$Properties} message RecordHeader message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                RecordHeader.encodeDelimited = function(message, writer) {
                    return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
                };

                /**
                 * Decodes a RecordHeader message from the specified reader or buffer.
                 * @function decode
                 * @memberof tally.agent.v1.RecordHeader
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @param {number} [length] Message length if known beforehand
                 * @returns {tally.agent.v1.RecordHeader & tally.agent.v1.RecordHeader.$Shape} RecordHeader
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                RecordHeader.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    let end, message, value;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.tally.agent.v1.RecordHeader();
                    while (reader.pos < end) {
                        let start = reader.pos;
                        let tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        let wireType = tag & 7;
                        switch (tag >>>= 3) {
                        case 1: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.stream = value;
                                else
                                    delete message.stream;
                                continue;
                            }
                        case 2: {
                                if (wireType !== 0)
                                    break;
                                if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                    message.seq = value;
                                else
                                    delete message.seq;
                                continue;
                            }
                        }
                        reader.skipType(wireType, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };

                /**
                 * Decodes a RecordHeader message from the specified reader or buffer, length delimited.
                 * @function decodeDelimited
                 * @memberof tally.agent.v1.RecordHeader
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @returns {tally.agent.v1.RecordHeader & tally.agent.v1.RecordHeader.$Shape} RecordHeader
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                RecordHeader.decodeDelimited = function(reader) {
                    if (!(reader instanceof $Reader))
                        reader = new $Reader(reader);
                    return this.decode(reader, reader.size());
                };

                /**
                 * Verifies a RecordHeader message.
                 * @function verify
                 * @memberof tally.agent.v1.RecordHeader
                 * @static
                 * @param {Object.<string,*>} message Plain object to verify
                 * @returns {string|null} `null` if valid, otherwise the reason why it is not
                 */
                RecordHeader.verify = function (message, _depth) {
                    if (typeof message !== "object" || message === null)
                        return "object expected";
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        return "max depth exceeded";
                    if (message.stream != null && $Object.hasOwnProperty.call(message, "stream"))
                        if (!$util.isString(message.stream))
                            return "stream: string expected";
                    if (message.seq != null && $Object.hasOwnProperty.call(message, "seq"))
                        if (!$util.isInteger(message.seq) && !(message.seq && $util.isInteger(message.seq.low) && $util.isInteger(message.seq.high)))
                            return "seq: integer|Long expected";
                    return null;
                };

                /**
                 * Creates a RecordHeader message from a plain object. Also converts values to their respective internal types.
                 * @function fromObject
                 * @memberof tally.agent.v1.RecordHeader
                 * @static
                 * @param {Object.<string,*>} object Plain object
                 * @returns {tally.agent.v1.RecordHeader} RecordHeader
                 */
                RecordHeader.fromObject = function (object, _depth) {
                    if (object instanceof $root.tally.agent.v1.RecordHeader)
                        return object;
                    if (!$util.isObject(object))
                        throw $TypeError(".tally.agent.v1.RecordHeader: object expected");
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let message = new $root.tally.agent.v1.RecordHeader();
                    if (object.stream != null)
                        if (typeof object.stream !== "string" || object.stream.length)
                            message.stream = $String(object.stream);
                    if (object.seq != null)
                        if (typeof object.seq === "object" ? object.seq.low || object.seq.high : $Number(object.seq) !== 0)
                            if ($util.Long)
                                message.seq = $util.Long.fromValue(object.seq, true);
                            else if (typeof object.seq === "string")
                                message.seq = $parseInt(object.seq, 10);
                            else if (typeof object.seq === "number")
                                message.seq = object.seq;
                            else if (typeof object.seq === "object")
                                message.seq = new $util.LongBits(object.seq.low >>> 0, object.seq.high >>> 0).toNumber(true);
                    return message;
                };

                /**
                 * Creates a plain object from a RecordHeader message. Also converts values to other types if specified.
                 * @function toObject
                 * @memberof tally.agent.v1.RecordHeader
                 * @static
                 * @param {tally.agent.v1.RecordHeader} message RecordHeader
                 * @param {$protobuf.IConversionOptions} [options] Conversion options
                 * @returns {Object.<string,*>} Plain object
                 */
                RecordHeader.toObject = function (message, options, _depth) {
                    if (!options)
                        options = {};
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let object = {};
                    if (options.defaults) {
                        object.stream = "";
                        if ($util.Long) {
                            let long = new $util.Long(0, 0, true);
                            object.seq = options.longs === $String ? long.toString() : options.longs === $Number ? long.toNumber() : typeof $BigInt !== "undefined" && options.longs === $BigInt ? long.toBigInt() : long;
                        } else
                            object.seq = options.longs === $String ? "0" : typeof $BigInt !== "undefined" && options.longs === $BigInt ? $BigInt("0") : 0;
                    }
                    if (message.stream != null && $Object.hasOwnProperty.call(message, "stream"))
                        object.stream = message.stream;
                    if (message.seq != null && $Object.hasOwnProperty.call(message, "seq"))
                        if (typeof $BigInt !== "undefined" && options.longs === $BigInt)
                            object.seq = typeof message.seq === "number" ? $BigInt(message.seq) : $util.Long.fromBits(message.seq.low >>> 0, message.seq.high >>> 0, true).toBigInt();
                        else if (typeof message.seq === "number")
                            object.seq = options.longs === $String ? $String(message.seq) : message.seq;
                        else
                            object.seq = options.longs === $String ? $util.Long.prototype.toString.call(message.seq) : options.longs === $Number ? new $util.LongBits(message.seq.low >>> 0, message.seq.high >>> 0).toNumber(true) : message.seq;
                    return object;
                };

                /**
                 * Converts this RecordHeader to JSON.
                 * @function toJSON
                 * @memberof tally.agent.v1.RecordHeader
                 * @instance
                 * @returns {Object.<string,*>} JSON object
                 */
                RecordHeader.prototype.toJSON = function() {
                    return RecordHeader.toObject(this, $protobuf.util.toJSONOptions);
                };

                /**
                 * Gets the type url for RecordHeader
                 * @function getTypeUrl
                 * @memberof tally.agent.v1.RecordHeader
                 * @static
                 * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns {string} The type url
                 */
                RecordHeader.getTypeUrl = function(prefix) {
                    if (prefix === $undefined)
                        prefix = "type.googleapis.com";
                    return prefix + "/tally.agent.v1.RecordHeader";
                };

                return RecordHeader;
            })();

            v1.UsageRecord = (function() {

                /**
                 * Properties of a UsageRecord.
                 * @typedef {Object} tally.agent.v1.UsageRecord.$Properties
                 * @property {tally.agent.v1.RecordHeader.$Properties|null} [header] UsageRecord header
                 * @property {number|null} [utcDay] UsageRecord utcDay
                 * @property {number|null} [awakeSeconds] UsageRecord awakeSeconds
                 * @property {string|null} [bootId] UsageRecord bootId
                 * @property {number|null} [recordedAtMs] UsageRecord recordedAtMs
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of a UsageRecord.
                 * @memberof tally.agent.v1
                 * @interface IUsageRecord
                 * @augments tally.agent.v1.UsageRecord.$Properties
                 * @deprecated Use tally.agent.v1.UsageRecord.$Properties instead.
                 */

                /**
                 * Shape of a UsageRecord.
                 * @typedef {tally.agent.v1.UsageRecord.$Properties} tally.agent.v1.UsageRecord.$Shape
                 */

                /**
                 * Constructs a new UsageRecord.
                 * @memberof tally.agent.v1
                 * @classdesc Represents a UsageRecord.
                 * @constructor
                 * @param {tally.agent.v1.UsageRecord.$Properties=} [properties] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const UsageRecord = function (properties) {
                    if (properties)
                        for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };

                /**
                 * UsageRecord header.
                 * @member {tally.agent.v1.RecordHeader.$Properties|null|undefined} header
                 * @memberof tally.agent.v1.UsageRecord
                 * @instance
                 */
                UsageRecord.prototype.header = null;

                /**
                 * UsageRecord utcDay.
                 * @member {number} utcDay
                 * @memberof tally.agent.v1.UsageRecord
                 * @instance
                 */
                UsageRecord.prototype.utcDay = 0;

                /**
                 * UsageRecord awakeSeconds.
                 * @member {number} awakeSeconds
                 * @memberof tally.agent.v1.UsageRecord
                 * @instance
                 */
                UsageRecord.prototype.awakeSeconds = 0;

                /**
                 * UsageRecord bootId.
                 * @member {string} bootId
                 * @memberof tally.agent.v1.UsageRecord
                 * @instance
                 */
                UsageRecord.prototype.bootId = "";

                /**
                 * UsageRecord recordedAtMs.
                 * @member {number} recordedAtMs
                 * @memberof tally.agent.v1.UsageRecord
                 * @instance
                 */
                UsageRecord.prototype.recordedAtMs = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

                /**
                 * Creates a new UsageRecord instance using the specified properties.
                 * @function create
                 * @memberof tally.agent.v1.UsageRecord
                 * @static
                 * @param {tally.agent.v1.UsageRecord.$Properties=} [properties] Properties to set
                 * @returns {tally.agent.v1.UsageRecord} UsageRecord instance
                 * @type {{
                 *   (properties: tally.agent.v1.UsageRecord.$Shape): tally.agent.v1.UsageRecord & tally.agent.v1.UsageRecord.$Shape;
                 *   (properties?: tally.agent.v1.UsageRecord.$Properties): tally.agent.v1.UsageRecord;
                 * }}
                 */
                UsageRecord.create = function(properties) {
                    return new UsageRecord(properties);
                };

                /**
                 * Encodes the specified UsageRecord message. Does not implicitly {@link tally.agent.v1.UsageRecord.verify|verify} messages.
                 * @function encode
                 * @memberof tally.agent.v1.UsageRecord
                 * @static
                 * @param {tally.agent.v1.UsageRecord.$Properties} message UsageRecord message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                UsageRecord.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.header != null && $Object.hasOwnProperty.call(message, "header"))
                        $root.tally.agent.v1.RecordHeader.encode(message.header, writer.uint32(/* id 1, wireType 2 =*/10).fork(), _depth + 1).ldelim();
                    if (message.utcDay != null && $Object.hasOwnProperty.call(message, "utcDay") && message.utcDay !== 0)
                        writer.uint32(/* id 2, wireType 0 =*/16).int32(message.utcDay);
                    if (message.awakeSeconds != null && $Object.hasOwnProperty.call(message, "awakeSeconds") && message.awakeSeconds !== 0)
                        writer.uint32(/* id 3, wireType 0 =*/24).uint32(message.awakeSeconds);
                    if (message.bootId != null && $Object.hasOwnProperty.call(message, "bootId") && message.bootId !== "")
                        writer.uint32(/* id 4, wireType 2 =*/34).string(message.bootId);
                    if (message.recordedAtMs != null && $Object.hasOwnProperty.call(message, "recordedAtMs") && (typeof message.recordedAtMs === "object" ? message.recordedAtMs.low || message.recordedAtMs.high : message.recordedAtMs !== 0))
                        writer.uint32(/* id 5, wireType 0 =*/40).int64(message.recordedAtMs);
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (let i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };

                /**
                 * Encodes the specified UsageRecord message, length delimited. Does not implicitly {@link tally.agent.v1.UsageRecord.verify|verify} messages.
                 * @function encodeDelimited
                 * @memberof tally.agent.v1.UsageRecord
                 * @static
                 * @param {tally.agent.v1.UsageRecord.$Properties} message UsageRecord message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                UsageRecord.encodeDelimited = function(message, writer) {
                    return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
                };

                /**
                 * Decodes a UsageRecord message from the specified reader or buffer.
                 * @function decode
                 * @memberof tally.agent.v1.UsageRecord
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @param {number} [length] Message length if known beforehand
                 * @returns {tally.agent.v1.UsageRecord & tally.agent.v1.UsageRecord.$Shape} UsageRecord
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                UsageRecord.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    let end, message, value;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.tally.agent.v1.UsageRecord();
                    while (reader.pos < end) {
                        let start = reader.pos;
                        let tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        let wireType = tag & 7;
                        switch (tag >>>= 3) {
                        case 1: {
                                if (wireType !== 2)
                                    break;
                                message.header = $root.tally.agent.v1.RecordHeader.decode(reader, reader.size(), $undefined, _depth + 1, message.header);
                                continue;
                            }
                        case 2: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.int32())
                                    message.utcDay = value;
                                else
                                    delete message.utcDay;
                                continue;
                            }
                        case 3: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.uint32())
                                    message.awakeSeconds = value;
                                else
                                    delete message.awakeSeconds;
                                continue;
                            }
                        case 4: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.bootId = value;
                                else
                                    delete message.bootId;
                                continue;
                            }
                        case 5: {
                                if (wireType !== 0)
                                    break;
                                if (typeof (value = reader.int64()) === "object" ? value.low || value.high : value !== 0)
                                    message.recordedAtMs = value;
                                else
                                    delete message.recordedAtMs;
                                continue;
                            }
                        }
                        reader.skipType(wireType, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };

                /**
                 * Decodes a UsageRecord message from the specified reader or buffer, length delimited.
                 * @function decodeDelimited
                 * @memberof tally.agent.v1.UsageRecord
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @returns {tally.agent.v1.UsageRecord & tally.agent.v1.UsageRecord.$Shape} UsageRecord
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                UsageRecord.decodeDelimited = function(reader) {
                    if (!(reader instanceof $Reader))
                        reader = new $Reader(reader);
                    return this.decode(reader, reader.size());
                };

                /**
                 * Verifies a UsageRecord message.
                 * @function verify
                 * @memberof tally.agent.v1.UsageRecord
                 * @static
                 * @param {Object.<string,*>} message Plain object to verify
                 * @returns {string|null} `null` if valid, otherwise the reason why it is not
                 */
                UsageRecord.verify = function (message, _depth) {
                    if (typeof message !== "object" || message === null)
                        return "object expected";
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        return "max depth exceeded";
                    if (message.header != null && $Object.hasOwnProperty.call(message, "header")) {
                        let error = $root.tally.agent.v1.RecordHeader.verify(message.header, _depth + 1);
                        if (error)
                            return "header." + error;
                    }
                    if (message.utcDay != null && $Object.hasOwnProperty.call(message, "utcDay"))
                        if (!$util.isInteger(message.utcDay))
                            return "utcDay: integer expected";
                    if (message.awakeSeconds != null && $Object.hasOwnProperty.call(message, "awakeSeconds"))
                        if (!$util.isInteger(message.awakeSeconds))
                            return "awakeSeconds: integer expected";
                    if (message.bootId != null && $Object.hasOwnProperty.call(message, "bootId"))
                        if (!$util.isString(message.bootId))
                            return "bootId: string expected";
                    if (message.recordedAtMs != null && $Object.hasOwnProperty.call(message, "recordedAtMs"))
                        if (!$util.isInteger(message.recordedAtMs) && !(message.recordedAtMs && $util.isInteger(message.recordedAtMs.low) && $util.isInteger(message.recordedAtMs.high)))
                            return "recordedAtMs: integer|Long expected";
                    return null;
                };

                /**
                 * Creates a UsageRecord message from a plain object. Also converts values to their respective internal types.
                 * @function fromObject
                 * @memberof tally.agent.v1.UsageRecord
                 * @static
                 * @param {Object.<string,*>} object Plain object
                 * @returns {tally.agent.v1.UsageRecord} UsageRecord
                 */
                UsageRecord.fromObject = function (object, _depth) {
                    if (object instanceof $root.tally.agent.v1.UsageRecord)
                        return object;
                    if (!$util.isObject(object))
                        throw $TypeError(".tally.agent.v1.UsageRecord: object expected");
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let message = new $root.tally.agent.v1.UsageRecord();
                    if (object.header != null) {
                        if (!$util.isObject(object.header))
                            throw $TypeError(".tally.agent.v1.UsageRecord.header: object expected");
                        message.header = $root.tally.agent.v1.RecordHeader.fromObject(object.header, _depth + 1);
                    }
                    if (object.utcDay != null)
                        if ($Number(object.utcDay) !== 0)
                            message.utcDay = object.utcDay | 0;
                    if (object.awakeSeconds != null)
                        if ($Number(object.awakeSeconds) !== 0)
                            message.awakeSeconds = object.awakeSeconds >>> 0;
                    if (object.bootId != null)
                        if (typeof object.bootId !== "string" || object.bootId.length)
                            message.bootId = $String(object.bootId);
                    if (object.recordedAtMs != null)
                        if (typeof object.recordedAtMs === "object" ? object.recordedAtMs.low || object.recordedAtMs.high : $Number(object.recordedAtMs) !== 0)
                            if ($util.Long)
                                message.recordedAtMs = $util.Long.fromValue(object.recordedAtMs, false);
                            else if (typeof object.recordedAtMs === "string")
                                message.recordedAtMs = $parseInt(object.recordedAtMs, 10);
                            else if (typeof object.recordedAtMs === "number")
                                message.recordedAtMs = object.recordedAtMs;
                            else if (typeof object.recordedAtMs === "object")
                                message.recordedAtMs = new $util.LongBits(object.recordedAtMs.low >>> 0, object.recordedAtMs.high >>> 0).toNumber();
                    return message;
                };

                /**
                 * Creates a plain object from a UsageRecord message. Also converts values to other types if specified.
                 * @function toObject
                 * @memberof tally.agent.v1.UsageRecord
                 * @static
                 * @param {tally.agent.v1.UsageRecord} message UsageRecord
                 * @param {$protobuf.IConversionOptions} [options] Conversion options
                 * @returns {Object.<string,*>} Plain object
                 */
                UsageRecord.toObject = function (message, options, _depth) {
                    if (!options)
                        options = {};
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let object = {};
                    if (options.defaults) {
                        object.header = null;
                        object.utcDay = 0;
                        object.awakeSeconds = 0;
                        object.bootId = "";
                        if ($util.Long) {
                            let long = new $util.Long(0, 0, false);
                            object.recordedAtMs = options.longs === $String ? long.toString() : options.longs === $Number ? long.toNumber() : typeof $BigInt !== "undefined" && options.longs === $BigInt ? long.toBigInt() : long;
                        } else
                            object.recordedAtMs = options.longs === $String ? "0" : typeof $BigInt !== "undefined" && options.longs === $BigInt ? $BigInt("0") : 0;
                    }
                    if (message.header != null && $Object.hasOwnProperty.call(message, "header"))
                        object.header = $root.tally.agent.v1.RecordHeader.toObject(message.header, options, _depth + 1);
                    if (message.utcDay != null && $Object.hasOwnProperty.call(message, "utcDay"))
                        object.utcDay = message.utcDay;
                    if (message.awakeSeconds != null && $Object.hasOwnProperty.call(message, "awakeSeconds"))
                        object.awakeSeconds = message.awakeSeconds;
                    if (message.bootId != null && $Object.hasOwnProperty.call(message, "bootId"))
                        object.bootId = message.bootId;
                    if (message.recordedAtMs != null && $Object.hasOwnProperty.call(message, "recordedAtMs"))
                        if (typeof $BigInt !== "undefined" && options.longs === $BigInt)
                            object.recordedAtMs = typeof message.recordedAtMs === "number" ? $BigInt(message.recordedAtMs) : $util.Long.fromBits(message.recordedAtMs.low >>> 0, message.recordedAtMs.high >>> 0, false).toBigInt();
                        else if (typeof message.recordedAtMs === "number")
                            object.recordedAtMs = options.longs === $String ? $String(message.recordedAtMs) : message.recordedAtMs;
                        else
                            object.recordedAtMs = options.longs === $String ? $util.Long.prototype.toString.call(message.recordedAtMs) : options.longs === $Number ? new $util.LongBits(message.recordedAtMs.low >>> 0, message.recordedAtMs.high >>> 0).toNumber() : message.recordedAtMs;
                    return object;
                };

                /**
                 * Converts this UsageRecord to JSON.
                 * @function toJSON
                 * @memberof tally.agent.v1.UsageRecord
                 * @instance
                 * @returns {Object.<string,*>} JSON object
                 */
                UsageRecord.prototype.toJSON = function() {
                    return UsageRecord.toObject(this, $protobuf.util.toJSONOptions);
                };

                /**
                 * Gets the type url for UsageRecord
                 * @function getTypeUrl
                 * @memberof tally.agent.v1.UsageRecord
                 * @static
                 * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns {string} The type url
                 */
                UsageRecord.getTypeUrl = function(prefix) {
                    if (prefix === $undefined)
                        prefix = "type.googleapis.com";
                    return prefix + "/tally.agent.v1.UsageRecord";
                };

                return UsageRecord;
            })();

            v1.UsageBatch = (function() {

                /**
                 * Properties of a UsageBatch.
                 * @typedef {Object} tally.agent.v1.UsageBatch.$Properties
                 * @property {Array.<tally.agent.v1.UsageRecord.$Properties>|null} [records] UsageBatch records
                 * @property {Array.<tally.agent.v1.StreamFloor.$Properties>|null} [floors] UsageBatch floors
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of a UsageBatch.
                 * @memberof tally.agent.v1
                 * @interface IUsageBatch
                 * @augments tally.agent.v1.UsageBatch.$Properties
                 * @deprecated Use tally.agent.v1.UsageBatch.$Properties instead.
                 */

                /**
                 * Shape of a UsageBatch.
                 * @typedef {tally.agent.v1.UsageBatch.$Properties} tally.agent.v1.UsageBatch.$Shape
                 */

                /**
                 * Constructs a new UsageBatch.
                 * @memberof tally.agent.v1
                 * @classdesc Represents a UsageBatch.
                 * @constructor
                 * @param {tally.agent.v1.UsageBatch.$Properties=} [properties] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const UsageBatch = function (properties) {
                    this.records = [];
                    this.floors = [];
                    if (properties)
                        for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };

                /**
                 * UsageBatch records.
                 * @member {Array.<tally.agent.v1.UsageRecord.$Properties>} records
                 * @memberof tally.agent.v1.UsageBatch
                 * @instance
                 */
                UsageBatch.prototype.records = $util.emptyArray;

                /**
                 * UsageBatch floors.
                 * @member {Array.<tally.agent.v1.StreamFloor.$Properties>} floors
                 * @memberof tally.agent.v1.UsageBatch
                 * @instance
                 */
                UsageBatch.prototype.floors = $util.emptyArray;

                /**
                 * Creates a new UsageBatch instance using the specified properties.
                 * @function create
                 * @memberof tally.agent.v1.UsageBatch
                 * @static
                 * @param {tally.agent.v1.UsageBatch.$Properties=} [properties] Properties to set
                 * @returns {tally.agent.v1.UsageBatch} UsageBatch instance
                 * @type {{
                 *   (properties: tally.agent.v1.UsageBatch.$Shape): tally.agent.v1.UsageBatch & tally.agent.v1.UsageBatch.$Shape;
                 *   (properties?: tally.agent.v1.UsageBatch.$Properties): tally.agent.v1.UsageBatch;
                 * }}
                 */
                UsageBatch.create = function(properties) {
                    return new UsageBatch(properties);
                };

                /**
                 * Encodes the specified UsageBatch message. Does not implicitly {@link tally.agent.v1.UsageBatch.verify|verify} messages.
                 * @function encode
                 * @memberof tally.agent.v1.UsageBatch
                 * @static
                 * @param {tally.agent.v1.UsageBatch.$Properties} message UsageBatch message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                UsageBatch.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.records != null && message.records.length)
                        for (let i = 0; i < message.records.length; ++i)
                            $root.tally.agent.v1.UsageRecord.encode(message.records[i], writer.uint32(/* id 1, wireType 2 =*/10).fork(), _depth + 1).ldelim();
                    if (message.floors != null && message.floors.length)
                        for (let i = 0; i < message.floors.length; ++i)
                            $root.tally.agent.v1.StreamFloor.encode(message.floors[i], writer.uint32(/* id 2, wireType 2 =*/18).fork(), _depth + 1).ldelim();
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (let i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };

                /**
                 * Encodes the specified UsageBatch message, length delimited. Does not implicitly {@link tally.agent.v1.UsageBatch.verify|verify} messages.
                 * @function encodeDelimited
                 * @memberof tally.agent.v1.UsageBatch
                 * @static
                 * @param {tally.agent.v1.UsageBatch.$Properties} message UsageBatch message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                UsageBatch.encodeDelimited = function(message, writer) {
                    return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
                };

                /**
                 * Decodes a UsageBatch message from the specified reader or buffer.
                 * @function decode
                 * @memberof tally.agent.v1.UsageBatch
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @param {number} [length] Message length if known beforehand
                 * @returns {tally.agent.v1.UsageBatch & tally.agent.v1.UsageBatch.$Shape} UsageBatch
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                UsageBatch.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    let end, message;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.tally.agent.v1.UsageBatch();
                    while (reader.pos < end) {
                        let start = reader.pos;
                        let tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        let wireType = tag & 7;
                        switch (tag >>>= 3) {
                        case 1: {
                                if (wireType !== 2)
                                    break;
                                if (!(message.records && message.records.length))
                                    message.records = [];
                                message.records.push($root.tally.agent.v1.UsageRecord.decode(reader, reader.size(), $undefined, _depth + 1));
                                continue;
                            }
                        case 2: {
                                if (wireType !== 2)
                                    break;
                                if (!(message.floors && message.floors.length))
                                    message.floors = [];
                                message.floors.push($root.tally.agent.v1.StreamFloor.decode(reader, reader.size(), $undefined, _depth + 1));
                                continue;
                            }
                        }
                        reader.skipType(wireType, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };

                /**
                 * Decodes a UsageBatch message from the specified reader or buffer, length delimited.
                 * @function decodeDelimited
                 * @memberof tally.agent.v1.UsageBatch
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @returns {tally.agent.v1.UsageBatch & tally.agent.v1.UsageBatch.$Shape} UsageBatch
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                UsageBatch.decodeDelimited = function(reader) {
                    if (!(reader instanceof $Reader))
                        reader = new $Reader(reader);
                    return this.decode(reader, reader.size());
                };

                /**
                 * Verifies a UsageBatch message.
                 * @function verify
                 * @memberof tally.agent.v1.UsageBatch
                 * @static
                 * @param {Object.<string,*>} message Plain object to verify
                 * @returns {string|null} `null` if valid, otherwise the reason why it is not
                 */
                UsageBatch.verify = function (message, _depth) {
                    if (typeof message !== "object" || message === null)
                        return "object expected";
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        return "max depth exceeded";
                    if (message.records != null && $Object.hasOwnProperty.call(message, "records")) {
                        if (!$Array.isArray(message.records))
                            return "records: array expected";
                        for (let i = 0; i < message.records.length; ++i) {
                            let error = $root.tally.agent.v1.UsageRecord.verify(message.records[i], _depth + 1);
                            if (error)
                                return "records." + error;
                        }
                    }
                    if (message.floors != null && $Object.hasOwnProperty.call(message, "floors")) {
                        if (!$Array.isArray(message.floors))
                            return "floors: array expected";
                        for (let i = 0; i < message.floors.length; ++i) {
                            let error = $root.tally.agent.v1.StreamFloor.verify(message.floors[i], _depth + 1);
                            if (error)
                                return "floors." + error;
                        }
                    }
                    return null;
                };

                /**
                 * Creates a UsageBatch message from a plain object. Also converts values to their respective internal types.
                 * @function fromObject
                 * @memberof tally.agent.v1.UsageBatch
                 * @static
                 * @param {Object.<string,*>} object Plain object
                 * @returns {tally.agent.v1.UsageBatch} UsageBatch
                 */
                UsageBatch.fromObject = function (object, _depth) {
                    if (object instanceof $root.tally.agent.v1.UsageBatch)
                        return object;
                    if (!$util.isObject(object))
                        throw $TypeError(".tally.agent.v1.UsageBatch: object expected");
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let message = new $root.tally.agent.v1.UsageBatch();
                    if (object.records) {
                        if (!$Array.isArray(object.records))
                            throw $TypeError(".tally.agent.v1.UsageBatch.records: array expected");
                        message.records = $Array(object.records.length);
                        for (let i = 0; i < object.records.length; ++i) {
                            if (!$util.isObject(object.records[i]))
                                throw $TypeError(".tally.agent.v1.UsageBatch.records: object expected");
                            message.records[i] = $root.tally.agent.v1.UsageRecord.fromObject(object.records[i], _depth + 1);
                        }
                    }
                    if (object.floors) {
                        if (!$Array.isArray(object.floors))
                            throw $TypeError(".tally.agent.v1.UsageBatch.floors: array expected");
                        message.floors = $Array(object.floors.length);
                        for (let i = 0; i < object.floors.length; ++i) {
                            if (!$util.isObject(object.floors[i]))
                                throw $TypeError(".tally.agent.v1.UsageBatch.floors: object expected");
                            message.floors[i] = $root.tally.agent.v1.StreamFloor.fromObject(object.floors[i], _depth + 1);
                        }
                    }
                    return message;
                };

                /**
                 * Creates a plain object from a UsageBatch message. Also converts values to other types if specified.
                 * @function toObject
                 * @memberof tally.agent.v1.UsageBatch
                 * @static
                 * @param {tally.agent.v1.UsageBatch} message UsageBatch
                 * @param {$protobuf.IConversionOptions} [options] Conversion options
                 * @returns {Object.<string,*>} Plain object
                 */
                UsageBatch.toObject = function (message, options, _depth) {
                    if (!options)
                        options = {};
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let object = {};
                    if (options.arrays || options.defaults) {
                        object.records = [];
                        object.floors = [];
                    }
                    if (message.records && message.records.length) {
                        object.records = $Array(message.records.length);
                        for (let j = 0; j < message.records.length; ++j)
                            object.records[j] = $root.tally.agent.v1.UsageRecord.toObject(message.records[j], options, _depth + 1);
                    }
                    if (message.floors && message.floors.length) {
                        object.floors = $Array(message.floors.length);
                        for (let j = 0; j < message.floors.length; ++j)
                            object.floors[j] = $root.tally.agent.v1.StreamFloor.toObject(message.floors[j], options, _depth + 1);
                    }
                    return object;
                };

                /**
                 * Converts this UsageBatch to JSON.
                 * @function toJSON
                 * @memberof tally.agent.v1.UsageBatch
                 * @instance
                 * @returns {Object.<string,*>} JSON object
                 */
                UsageBatch.prototype.toJSON = function() {
                    return UsageBatch.toObject(this, $protobuf.util.toJSONOptions);
                };

                /**
                 * Gets the type url for UsageBatch
                 * @function getTypeUrl
                 * @memberof tally.agent.v1.UsageBatch
                 * @static
                 * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns {string} The type url
                 */
                UsageBatch.getTypeUrl = function(prefix) {
                    if (prefix === $undefined)
                        prefix = "type.googleapis.com";
                    return prefix + "/tally.agent.v1.UsageBatch";
                };

                return UsageBatch;
            })();

            v1.StreamFloor = (function() {

                /**
                 * Properties of a StreamFloor.
                 * @typedef {Object} tally.agent.v1.StreamFloor.$Properties
                 * @property {string|null} [stream] StreamFloor stream
                 * @property {number|null} [oldestUnackedSeq] StreamFloor oldestUnackedSeq
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of a StreamFloor.
                 * @memberof tally.agent.v1
                 * @interface IStreamFloor
                 * @augments tally.agent.v1.StreamFloor.$Properties
                 * @deprecated Use tally.agent.v1.StreamFloor.$Properties instead.
                 */

                /**
                 * Shape of a StreamFloor.
                 * @typedef {tally.agent.v1.StreamFloor.$Properties} tally.agent.v1.StreamFloor.$Shape
                 */

                /**
                 * Constructs a new StreamFloor.
                 * @memberof tally.agent.v1
                 * @classdesc Represents a StreamFloor.
                 * @constructor
                 * @param {tally.agent.v1.StreamFloor.$Properties=} [properties] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const StreamFloor = function (properties) {
                    if (properties)
                        for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };

                /**
                 * StreamFloor stream.
                 * @member {string} stream
                 * @memberof tally.agent.v1.StreamFloor
                 * @instance
                 */
                StreamFloor.prototype.stream = "";

                /**
                 * StreamFloor oldestUnackedSeq.
                 * @member {number} oldestUnackedSeq
                 * @memberof tally.agent.v1.StreamFloor
                 * @instance
                 */
                StreamFloor.prototype.oldestUnackedSeq = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

                /**
                 * Creates a new StreamFloor instance using the specified properties.
                 * @function create
                 * @memberof tally.agent.v1.StreamFloor
                 * @static
                 * @param {tally.agent.v1.StreamFloor.$Properties=} [properties] Properties to set
                 * @returns {tally.agent.v1.StreamFloor} StreamFloor instance
                 * @type {{
                 *   (properties: tally.agent.v1.StreamFloor.$Shape): tally.agent.v1.StreamFloor & tally.agent.v1.StreamFloor.$Shape;
                 *   (properties?: tally.agent.v1.StreamFloor.$Properties): tally.agent.v1.StreamFloor;
                 * }}
                 */
                StreamFloor.create = function(properties) {
                    return new StreamFloor(properties);
                };

                /**
                 * Encodes the specified StreamFloor message. Does not implicitly {@link tally.agent.v1.StreamFloor.verify|verify} messages.
                 * @function encode
                 * @memberof tally.agent.v1.StreamFloor
                 * @static
                 * @param {tally.agent.v1.StreamFloor.$Properties} message StreamFloor message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                StreamFloor.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.stream != null && $Object.hasOwnProperty.call(message, "stream") && message.stream !== "")
                        writer.uint32(/* id 1, wireType 2 =*/10).string(message.stream);
                    if (message.oldestUnackedSeq != null && $Object.hasOwnProperty.call(message, "oldestUnackedSeq") && (typeof message.oldestUnackedSeq === "object" ? message.oldestUnackedSeq.low || message.oldestUnackedSeq.high : message.oldestUnackedSeq !== 0))
                        writer.uint32(/* id 2, wireType 0 =*/16).uint64(message.oldestUnackedSeq);
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (let i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };

                /**
                 * Encodes the specified StreamFloor message, length delimited. Does not implicitly {@link tally.agent.v1.StreamFloor.verify|verify} messages.
                 * @function encodeDelimited
                 * @memberof tally.agent.v1.StreamFloor
                 * @static
                 * @param {tally.agent.v1.StreamFloor.$Properties} message StreamFloor message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                StreamFloor.encodeDelimited = function(message, writer) {
                    return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
                };

                /**
                 * Decodes a StreamFloor message from the specified reader or buffer.
                 * @function decode
                 * @memberof tally.agent.v1.StreamFloor
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @param {number} [length] Message length if known beforehand
                 * @returns {tally.agent.v1.StreamFloor & tally.agent.v1.StreamFloor.$Shape} StreamFloor
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                StreamFloor.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    let end, message, value;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.tally.agent.v1.StreamFloor();
                    while (reader.pos < end) {
                        let start = reader.pos;
                        let tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        let wireType = tag & 7;
                        switch (tag >>>= 3) {
                        case 1: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.stream = value;
                                else
                                    delete message.stream;
                                continue;
                            }
                        case 2: {
                                if (wireType !== 0)
                                    break;
                                if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                    message.oldestUnackedSeq = value;
                                else
                                    delete message.oldestUnackedSeq;
                                continue;
                            }
                        }
                        reader.skipType(wireType, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };

                /**
                 * Decodes a StreamFloor message from the specified reader or buffer, length delimited.
                 * @function decodeDelimited
                 * @memberof tally.agent.v1.StreamFloor
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @returns {tally.agent.v1.StreamFloor & tally.agent.v1.StreamFloor.$Shape} StreamFloor
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                StreamFloor.decodeDelimited = function(reader) {
                    if (!(reader instanceof $Reader))
                        reader = new $Reader(reader);
                    return this.decode(reader, reader.size());
                };

                /**
                 * Verifies a StreamFloor message.
                 * @function verify
                 * @memberof tally.agent.v1.StreamFloor
                 * @static
                 * @param {Object.<string,*>} message Plain object to verify
                 * @returns {string|null} `null` if valid, otherwise the reason why it is not
                 */
                StreamFloor.verify = function (message, _depth) {
                    if (typeof message !== "object" || message === null)
                        return "object expected";
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        return "max depth exceeded";
                    if (message.stream != null && $Object.hasOwnProperty.call(message, "stream"))
                        if (!$util.isString(message.stream))
                            return "stream: string expected";
                    if (message.oldestUnackedSeq != null && $Object.hasOwnProperty.call(message, "oldestUnackedSeq"))
                        if (!$util.isInteger(message.oldestUnackedSeq) && !(message.oldestUnackedSeq && $util.isInteger(message.oldestUnackedSeq.low) && $util.isInteger(message.oldestUnackedSeq.high)))
                            return "oldestUnackedSeq: integer|Long expected";
                    return null;
                };

                /**
                 * Creates a StreamFloor message from a plain object. Also converts values to their respective internal types.
                 * @function fromObject
                 * @memberof tally.agent.v1.StreamFloor
                 * @static
                 * @param {Object.<string,*>} object Plain object
                 * @returns {tally.agent.v1.StreamFloor} StreamFloor
                 */
                StreamFloor.fromObject = function (object, _depth) {
                    if (object instanceof $root.tally.agent.v1.StreamFloor)
                        return object;
                    if (!$util.isObject(object))
                        throw $TypeError(".tally.agent.v1.StreamFloor: object expected");
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let message = new $root.tally.agent.v1.StreamFloor();
                    if (object.stream != null)
                        if (typeof object.stream !== "string" || object.stream.length)
                            message.stream = $String(object.stream);
                    if (object.oldestUnackedSeq != null)
                        if (typeof object.oldestUnackedSeq === "object" ? object.oldestUnackedSeq.low || object.oldestUnackedSeq.high : $Number(object.oldestUnackedSeq) !== 0)
                            if ($util.Long)
                                message.oldestUnackedSeq = $util.Long.fromValue(object.oldestUnackedSeq, true);
                            else if (typeof object.oldestUnackedSeq === "string")
                                message.oldestUnackedSeq = $parseInt(object.oldestUnackedSeq, 10);
                            else if (typeof object.oldestUnackedSeq === "number")
                                message.oldestUnackedSeq = object.oldestUnackedSeq;
                            else if (typeof object.oldestUnackedSeq === "object")
                                message.oldestUnackedSeq = new $util.LongBits(object.oldestUnackedSeq.low >>> 0, object.oldestUnackedSeq.high >>> 0).toNumber(true);
                    return message;
                };

                /**
                 * Creates a plain object from a StreamFloor message. Also converts values to other types if specified.
                 * @function toObject
                 * @memberof tally.agent.v1.StreamFloor
                 * @static
                 * @param {tally.agent.v1.StreamFloor} message StreamFloor
                 * @param {$protobuf.IConversionOptions} [options] Conversion options
                 * @returns {Object.<string,*>} Plain object
                 */
                StreamFloor.toObject = function (message, options, _depth) {
                    if (!options)
                        options = {};
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let object = {};
                    if (options.defaults) {
                        object.stream = "";
                        if ($util.Long) {
                            let long = new $util.Long(0, 0, true);
                            object.oldestUnackedSeq = options.longs === $String ? long.toString() : options.longs === $Number ? long.toNumber() : typeof $BigInt !== "undefined" && options.longs === $BigInt ? long.toBigInt() : long;
                        } else
                            object.oldestUnackedSeq = options.longs === $String ? "0" : typeof $BigInt !== "undefined" && options.longs === $BigInt ? $BigInt("0") : 0;
                    }
                    if (message.stream != null && $Object.hasOwnProperty.call(message, "stream"))
                        object.stream = message.stream;
                    if (message.oldestUnackedSeq != null && $Object.hasOwnProperty.call(message, "oldestUnackedSeq"))
                        if (typeof $BigInt !== "undefined" && options.longs === $BigInt)
                            object.oldestUnackedSeq = typeof message.oldestUnackedSeq === "number" ? $BigInt(message.oldestUnackedSeq) : $util.Long.fromBits(message.oldestUnackedSeq.low >>> 0, message.oldestUnackedSeq.high >>> 0, true).toBigInt();
                        else if (typeof message.oldestUnackedSeq === "number")
                            object.oldestUnackedSeq = options.longs === $String ? $String(message.oldestUnackedSeq) : message.oldestUnackedSeq;
                        else
                            object.oldestUnackedSeq = options.longs === $String ? $util.Long.prototype.toString.call(message.oldestUnackedSeq) : options.longs === $Number ? new $util.LongBits(message.oldestUnackedSeq.low >>> 0, message.oldestUnackedSeq.high >>> 0).toNumber(true) : message.oldestUnackedSeq;
                    return object;
                };

                /**
                 * Converts this StreamFloor to JSON.
                 * @function toJSON
                 * @memberof tally.agent.v1.StreamFloor
                 * @instance
                 * @returns {Object.<string,*>} JSON object
                 */
                StreamFloor.prototype.toJSON = function() {
                    return StreamFloor.toObject(this, $protobuf.util.toJSONOptions);
                };

                /**
                 * Gets the type url for StreamFloor
                 * @function getTypeUrl
                 * @memberof tally.agent.v1.StreamFloor
                 * @static
                 * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns {string} The type url
                 */
                StreamFloor.getTypeUrl = function(prefix) {
                    if (prefix === $undefined)
                        prefix = "type.googleapis.com";
                    return prefix + "/tally.agent.v1.StreamFloor";
                };

                return StreamFloor;
            })();

            v1.AgentEvent = (function() {

                /**
                 * Properties of an AgentEvent.
                 * @typedef {Object} tally.agent.v1.AgentEvent.$Properties
                 * @property {tally.agent.v1.RecordHeader.$Properties|null} [header] AgentEvent header
                 * @property {number|null} [occurredAtMs] AgentEvent occurredAtMs
                 * @property {tally.agent.v1.Uninstalled.$Properties|null} [uninstalled] AgentEvent uninstalled
                 * @property {tally.agent.v1.ModuleChanged.$Properties|null} [moduleChanged] AgentEvent moduleChanged
                 * @property {tally.agent.v1.UserSignedIn.$Properties|null} [userSignedIn] AgentEvent userSignedIn
                 * @property {"uninstalled"|"moduleChanged"|"userSignedIn"} [kind] AgentEvent kind
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of an AgentEvent.
                 * @memberof tally.agent.v1
                 * @interface IAgentEvent
                 * @augments tally.agent.v1.AgentEvent.$Properties
                 * @deprecated Use tally.agent.v1.AgentEvent.$Properties instead.
                 */

                /**
                 * Narrowed shape of an AgentEvent.
                 * @typedef {{
                 *   header?: tally.agent.v1.RecordHeader.$Shape|null;
                 *   occurredAtMs?: number|null;
                 *   uninstalled?: tally.agent.v1.Uninstalled.$Shape|null;
                 *   moduleChanged?: tally.agent.v1.ModuleChanged.$Shape|null;
                 *   userSignedIn?: tally.agent.v1.UserSignedIn.$Shape|null;
                 *   $unknowns?: Array.<Uint8Array>;
                 * } & (
                 *   ({ kind?: undefined; uninstalled?: null; moduleChanged?: null; userSignedIn?: null }|{ kind?: "uninstalled"; uninstalled: tally.agent.v1.Uninstalled.$Shape; moduleChanged?: null; userSignedIn?: null }|{ kind?: "moduleChanged"; uninstalled?: null; moduleChanged: tally.agent.v1.ModuleChanged.$Shape; userSignedIn?: null }|{ kind?: "userSignedIn"; uninstalled?: null; moduleChanged?: null; userSignedIn: tally.agent.v1.UserSignedIn.$Shape })
                 * )} tally.agent.v1.AgentEvent.$Shape
                 */

                /**
                 * Constructs a new AgentEvent.
                 * @memberof tally.agent.v1
                 * @classdesc Represents an AgentEvent.
                 * @constructor
                 * @param {tally.agent.v1.AgentEvent.$Properties=} [properties] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const AgentEvent = function (properties) {
                    if (properties)
                        for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };

                /**
                 * AgentEvent header.
                 * @member {tally.agent.v1.RecordHeader.$Properties|null|undefined} header
                 * @memberof tally.agent.v1.AgentEvent
                 * @instance
                 */
                AgentEvent.prototype.header = null;

                /**
                 * AgentEvent occurredAtMs.
                 * @member {number} occurredAtMs
                 * @memberof tally.agent.v1.AgentEvent
                 * @instance
                 */
                AgentEvent.prototype.occurredAtMs = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

                /**
                 * AgentEvent uninstalled.
                 * @member {tally.agent.v1.Uninstalled.$Properties|null|undefined} uninstalled
                 * @memberof tally.agent.v1.AgentEvent
                 * @instance
                 */
                AgentEvent.prototype.uninstalled = null;

                /**
                 * AgentEvent moduleChanged.
                 * @member {tally.agent.v1.ModuleChanged.$Properties|null|undefined} moduleChanged
                 * @memberof tally.agent.v1.AgentEvent
                 * @instance
                 */
                AgentEvent.prototype.moduleChanged = null;

                /**
                 * AgentEvent userSignedIn.
                 * @member {tally.agent.v1.UserSignedIn.$Properties|null|undefined} userSignedIn
                 * @memberof tally.agent.v1.AgentEvent
                 * @instance
                 */
                AgentEvent.prototype.userSignedIn = null;

                // OneOf field names bound to virtual getters and setters
                let $oneOfFields;

                /**
                 * AgentEvent kind.
                 * @member {"uninstalled"|"moduleChanged"|"userSignedIn"|undefined} kind
                 * @memberof tally.agent.v1.AgentEvent
                 * @instance
                 */
                $Object.defineProperty(AgentEvent.prototype, "kind", {
                    get: $util.oneOfGetter($oneOfFields = ["uninstalled", "moduleChanged", "userSignedIn"]),
                    set: $util.oneOfSetter($oneOfFields)
                });

                /**
                 * Creates a new AgentEvent instance using the specified properties.
                 * @function create
                 * @memberof tally.agent.v1.AgentEvent
                 * @static
                 * @param {tally.agent.v1.AgentEvent.$Properties=} [properties] Properties to set
                 * @returns {tally.agent.v1.AgentEvent} AgentEvent instance
                 * @type {{
                 *   (properties: tally.agent.v1.AgentEvent.$Shape): tally.agent.v1.AgentEvent & tally.agent.v1.AgentEvent.$Shape;
                 *   (properties?: tally.agent.v1.AgentEvent.$Properties): tally.agent.v1.AgentEvent;
                 * }}
                 */
                AgentEvent.create = function(properties) {
                    return new AgentEvent(properties);
                };

                /**
                 * Encodes the specified AgentEvent message. Does not implicitly {@link tally.agent.v1.AgentEvent.verify|verify} messages.
                 * @function encode
                 * @memberof tally.agent.v1.AgentEvent
                 * @static
                 * @param {tally.agent.v1.AgentEvent.$Properties} message AgentEvent message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                AgentEvent.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.header != null && $Object.hasOwnProperty.call(message, "header"))
                        $root.tally.agent.v1.RecordHeader.encode(message.header, writer.uint32(/* id 1, wireType 2 =*/10).fork(), _depth + 1).ldelim();
                    if (message.occurredAtMs != null && $Object.hasOwnProperty.call(message, "occurredAtMs") && (typeof message.occurredAtMs === "object" ? message.occurredAtMs.low || message.occurredAtMs.high : message.occurredAtMs !== 0))
                        writer.uint32(/* id 2, wireType 0 =*/16).int64(message.occurredAtMs);
                    if (message.uninstalled != null && $Object.hasOwnProperty.call(message, "uninstalled"))
                        $root.tally.agent.v1.Uninstalled.encode(message.uninstalled, writer.uint32(/* id 10, wireType 2 =*/82).fork(), _depth + 1).ldelim();
                    if (message.moduleChanged != null && $Object.hasOwnProperty.call(message, "moduleChanged"))
                        $root.tally.agent.v1.ModuleChanged.encode(message.moduleChanged, writer.uint32(/* id 11, wireType 2 =*/90).fork(), _depth + 1).ldelim();
                    if (message.userSignedIn != null && $Object.hasOwnProperty.call(message, "userSignedIn"))
                        $root.tally.agent.v1.UserSignedIn.encode(message.userSignedIn, writer.uint32(/* id 12, wireType 2 =*/98).fork(), _depth + 1).ldelim();
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (let i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };

                /**
                 * Encodes the specified AgentEvent message, length delimited. Does not implicitly {@link tally.agent.v1.AgentEvent.verify|verify} messages.
                 * @function encodeDelimited
                 * @memberof tally.agent.v1.AgentEvent
                 * @static
                 * @param {tally.agent.v1.AgentEvent.$Properties} message AgentEvent message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                AgentEvent.encodeDelimited = function(message, writer) {
                    return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
                };

                /**
                 * Decodes an AgentEvent message from the specified reader or buffer.
                 * @function decode
                 * @memberof tally.agent.v1.AgentEvent
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @param {number} [length] Message length if known beforehand
                 * @returns {tally.agent.v1.AgentEvent & tally.agent.v1.AgentEvent.$Shape} AgentEvent
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                AgentEvent.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    let end, message, value;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.tally.agent.v1.AgentEvent();
                    while (reader.pos < end) {
                        let start = reader.pos;
                        let tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        let wireType = tag & 7;
                        switch (tag >>>= 3) {
                        case 1: {
                                if (wireType !== 2)
                                    break;
                                message.header = $root.tally.agent.v1.RecordHeader.decode(reader, reader.size(), $undefined, _depth + 1, message.header);
                                continue;
                            }
                        case 2: {
                                if (wireType !== 0)
                                    break;
                                if (typeof (value = reader.int64()) === "object" ? value.low || value.high : value !== 0)
                                    message.occurredAtMs = value;
                                else
                                    delete message.occurredAtMs;
                                continue;
                            }
                        case 10: {
                                if (wireType !== 2)
                                    break;
                                message.uninstalled = $root.tally.agent.v1.Uninstalled.decode(reader, reader.size(), $undefined, _depth + 1, message.uninstalled);
                                message.kind = "uninstalled";
                                continue;
                            }
                        case 11: {
                                if (wireType !== 2)
                                    break;
                                message.moduleChanged = $root.tally.agent.v1.ModuleChanged.decode(reader, reader.size(), $undefined, _depth + 1, message.moduleChanged);
                                message.kind = "moduleChanged";
                                continue;
                            }
                        case 12: {
                                if (wireType !== 2)
                                    break;
                                message.userSignedIn = $root.tally.agent.v1.UserSignedIn.decode(reader, reader.size(), $undefined, _depth + 1, message.userSignedIn);
                                message.kind = "userSignedIn";
                                continue;
                            }
                        }
                        reader.skipType(wireType, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };

                /**
                 * Decodes an AgentEvent message from the specified reader or buffer, length delimited.
                 * @function decodeDelimited
                 * @memberof tally.agent.v1.AgentEvent
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @returns {tally.agent.v1.AgentEvent & tally.agent.v1.AgentEvent.$Shape} AgentEvent
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                AgentEvent.decodeDelimited = function(reader) {
                    if (!(reader instanceof $Reader))
                        reader = new $Reader(reader);
                    return this.decode(reader, reader.size());
                };

                /**
                 * Verifies an AgentEvent message.
                 * @function verify
                 * @memberof tally.agent.v1.AgentEvent
                 * @static
                 * @param {Object.<string,*>} message Plain object to verify
                 * @returns {string|null} `null` if valid, otherwise the reason why it is not
                 */
                AgentEvent.verify = function (message, _depth) {
                    if (typeof message !== "object" || message === null)
                        return "object expected";
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        return "max depth exceeded";
                    let properties = {};
                    if (message.header != null && $Object.hasOwnProperty.call(message, "header")) {
                        let error = $root.tally.agent.v1.RecordHeader.verify(message.header, _depth + 1);
                        if (error)
                            return "header." + error;
                    }
                    if (message.occurredAtMs != null && $Object.hasOwnProperty.call(message, "occurredAtMs"))
                        if (!$util.isInteger(message.occurredAtMs) && !(message.occurredAtMs && $util.isInteger(message.occurredAtMs.low) && $util.isInteger(message.occurredAtMs.high)))
                            return "occurredAtMs: integer|Long expected";
                    if (message.uninstalled != null && $Object.hasOwnProperty.call(message, "uninstalled")) {
                        properties.kind = 1;
                        {
                            let error = $root.tally.agent.v1.Uninstalled.verify(message.uninstalled, _depth + 1);
                            if (error)
                                return "uninstalled." + error;
                        }
                    }
                    if (message.moduleChanged != null && $Object.hasOwnProperty.call(message, "moduleChanged")) {
                        if (properties.kind === 1)
                            return "kind: multiple values";
                        properties.kind = 1;
                        {
                            let error = $root.tally.agent.v1.ModuleChanged.verify(message.moduleChanged, _depth + 1);
                            if (error)
                                return "moduleChanged." + error;
                        }
                    }
                    if (message.userSignedIn != null && $Object.hasOwnProperty.call(message, "userSignedIn")) {
                        if (properties.kind === 1)
                            return "kind: multiple values";
                        properties.kind = 1;
                        {
                            let error = $root.tally.agent.v1.UserSignedIn.verify(message.userSignedIn, _depth + 1);
                            if (error)
                                return "userSignedIn." + error;
                        }
                    }
                    return null;
                };

                /**
                 * Creates an AgentEvent message from a plain object. Also converts values to their respective internal types.
                 * @function fromObject
                 * @memberof tally.agent.v1.AgentEvent
                 * @static
                 * @param {Object.<string,*>} object Plain object
                 * @returns {tally.agent.v1.AgentEvent} AgentEvent
                 */
                AgentEvent.fromObject = function (object, _depth) {
                    if (object instanceof $root.tally.agent.v1.AgentEvent)
                        return object;
                    if (!$util.isObject(object))
                        throw $TypeError(".tally.agent.v1.AgentEvent: object expected");
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let message = new $root.tally.agent.v1.AgentEvent();
                    if (object.header != null) {
                        if (!$util.isObject(object.header))
                            throw $TypeError(".tally.agent.v1.AgentEvent.header: object expected");
                        message.header = $root.tally.agent.v1.RecordHeader.fromObject(object.header, _depth + 1);
                    }
                    if (object.occurredAtMs != null)
                        if (typeof object.occurredAtMs === "object" ? object.occurredAtMs.low || object.occurredAtMs.high : $Number(object.occurredAtMs) !== 0)
                            if ($util.Long)
                                message.occurredAtMs = $util.Long.fromValue(object.occurredAtMs, false);
                            else if (typeof object.occurredAtMs === "string")
                                message.occurredAtMs = $parseInt(object.occurredAtMs, 10);
                            else if (typeof object.occurredAtMs === "number")
                                message.occurredAtMs = object.occurredAtMs;
                            else if (typeof object.occurredAtMs === "object")
                                message.occurredAtMs = new $util.LongBits(object.occurredAtMs.low >>> 0, object.occurredAtMs.high >>> 0).toNumber();
                    if (object.uninstalled != null) {
                        if (!$util.isObject(object.uninstalled))
                            throw $TypeError(".tally.agent.v1.AgentEvent.uninstalled: object expected");
                        message.uninstalled = $root.tally.agent.v1.Uninstalled.fromObject(object.uninstalled, _depth + 1);
                    }
                    if (object.moduleChanged != null) {
                        if (!$util.isObject(object.moduleChanged))
                            throw $TypeError(".tally.agent.v1.AgentEvent.moduleChanged: object expected");
                        message.moduleChanged = $root.tally.agent.v1.ModuleChanged.fromObject(object.moduleChanged, _depth + 1);
                    }
                    if (object.userSignedIn != null) {
                        if (!$util.isObject(object.userSignedIn))
                            throw $TypeError(".tally.agent.v1.AgentEvent.userSignedIn: object expected");
                        message.userSignedIn = $root.tally.agent.v1.UserSignedIn.fromObject(object.userSignedIn, _depth + 1);
                    }
                    return message;
                };

                /**
                 * Creates a plain object from an AgentEvent message. Also converts values to other types if specified.
                 * @function toObject
                 * @memberof tally.agent.v1.AgentEvent
                 * @static
                 * @param {tally.agent.v1.AgentEvent} message AgentEvent
                 * @param {$protobuf.IConversionOptions} [options] Conversion options
                 * @returns {Object.<string,*>} Plain object
                 */
                AgentEvent.toObject = function (message, options, _depth) {
                    if (!options)
                        options = {};
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let object = {};
                    if (options.defaults) {
                        object.header = null;
                        if ($util.Long) {
                            let long = new $util.Long(0, 0, false);
                            object.occurredAtMs = options.longs === $String ? long.toString() : options.longs === $Number ? long.toNumber() : typeof $BigInt !== "undefined" && options.longs === $BigInt ? long.toBigInt() : long;
                        } else
                            object.occurredAtMs = options.longs === $String ? "0" : typeof $BigInt !== "undefined" && options.longs === $BigInt ? $BigInt("0") : 0;
                    }
                    if (message.header != null && $Object.hasOwnProperty.call(message, "header"))
                        object.header = $root.tally.agent.v1.RecordHeader.toObject(message.header, options, _depth + 1);
                    if (message.occurredAtMs != null && $Object.hasOwnProperty.call(message, "occurredAtMs"))
                        if (typeof $BigInt !== "undefined" && options.longs === $BigInt)
                            object.occurredAtMs = typeof message.occurredAtMs === "number" ? $BigInt(message.occurredAtMs) : $util.Long.fromBits(message.occurredAtMs.low >>> 0, message.occurredAtMs.high >>> 0, false).toBigInt();
                        else if (typeof message.occurredAtMs === "number")
                            object.occurredAtMs = options.longs === $String ? $String(message.occurredAtMs) : message.occurredAtMs;
                        else
                            object.occurredAtMs = options.longs === $String ? $util.Long.prototype.toString.call(message.occurredAtMs) : options.longs === $Number ? new $util.LongBits(message.occurredAtMs.low >>> 0, message.occurredAtMs.high >>> 0).toNumber() : message.occurredAtMs;
                    if (message.uninstalled != null && $Object.hasOwnProperty.call(message, "uninstalled")) {
                        object.uninstalled = $root.tally.agent.v1.Uninstalled.toObject(message.uninstalled, options, _depth + 1);
                        if (options.oneofs)
                            object.kind = "uninstalled";
                    }
                    if (message.moduleChanged != null && $Object.hasOwnProperty.call(message, "moduleChanged")) {
                        object.moduleChanged = $root.tally.agent.v1.ModuleChanged.toObject(message.moduleChanged, options, _depth + 1);
                        if (options.oneofs)
                            object.kind = "moduleChanged";
                    }
                    if (message.userSignedIn != null && $Object.hasOwnProperty.call(message, "userSignedIn")) {
                        object.userSignedIn = $root.tally.agent.v1.UserSignedIn.toObject(message.userSignedIn, options, _depth + 1);
                        if (options.oneofs)
                            object.kind = "userSignedIn";
                    }
                    return object;
                };

                /**
                 * Converts this AgentEvent to JSON.
                 * @function toJSON
                 * @memberof tally.agent.v1.AgentEvent
                 * @instance
                 * @returns {Object.<string,*>} JSON object
                 */
                AgentEvent.prototype.toJSON = function() {
                    return AgentEvent.toObject(this, $protobuf.util.toJSONOptions);
                };

                /**
                 * Gets the type url for AgentEvent
                 * @function getTypeUrl
                 * @memberof tally.agent.v1.AgentEvent
                 * @static
                 * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns {string} The type url
                 */
                AgentEvent.getTypeUrl = function(prefix) {
                    if (prefix === $undefined)
                        prefix = "type.googleapis.com";
                    return prefix + "/tally.agent.v1.AgentEvent";
                };

                return AgentEvent;
            })();

            v1.EventBatch = (function() {

                /**
                 * Properties of an EventBatch.
                 * @typedef {Object} tally.agent.v1.EventBatch.$Properties
                 * @property {Array.<tally.agent.v1.AgentEvent.$Properties>|null} [events] EventBatch events
                 * @property {Array.<tally.agent.v1.StreamFloor.$Properties>|null} [floors] EventBatch floors
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of an EventBatch.
                 * @memberof tally.agent.v1
                 * @interface IEventBatch
                 * @augments tally.agent.v1.EventBatch.$Properties
                 * @deprecated Use tally.agent.v1.EventBatch.$Properties instead.
                 */

                /**
                 * Shape of an EventBatch.
                 * @typedef {{
                 *   events?: Array.<tally.agent.v1.AgentEvent.$Shape>|null;
                 *   floors?: Array.<tally.agent.v1.StreamFloor.$Shape>|null;
                 *   $unknowns?: Array.<Uint8Array>;
                 * }} tally.agent.v1.EventBatch.$Shape
                 */

                /**
                 * Constructs a new EventBatch.
                 * @memberof tally.agent.v1
                 * @classdesc Represents an EventBatch.
                 * @constructor
                 * @param {tally.agent.v1.EventBatch.$Properties=} [properties] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const EventBatch = function (properties) {
                    this.events = [];
                    this.floors = [];
                    if (properties)
                        for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };

                /**
                 * EventBatch events.
                 * @member {Array.<tally.agent.v1.AgentEvent.$Properties>} events
                 * @memberof tally.agent.v1.EventBatch
                 * @instance
                 */
                EventBatch.prototype.events = $util.emptyArray;

                /**
                 * EventBatch floors.
                 * @member {Array.<tally.agent.v1.StreamFloor.$Properties>} floors
                 * @memberof tally.agent.v1.EventBatch
                 * @instance
                 */
                EventBatch.prototype.floors = $util.emptyArray;

                /**
                 * Creates a new EventBatch instance using the specified properties.
                 * @function create
                 * @memberof tally.agent.v1.EventBatch
                 * @static
                 * @param {tally.agent.v1.EventBatch.$Properties=} [properties] Properties to set
                 * @returns {tally.agent.v1.EventBatch} EventBatch instance
                 * @type {{
                 *   (properties: tally.agent.v1.EventBatch.$Shape): tally.agent.v1.EventBatch & tally.agent.v1.EventBatch.$Shape;
                 *   (properties?: tally.agent.v1.EventBatch.$Properties): tally.agent.v1.EventBatch;
                 * }}
                 */
                EventBatch.create = function(properties) {
                    return new EventBatch(properties);
                };

                /**
                 * Encodes the specified EventBatch message. Does not implicitly {@link tally.agent.v1.EventBatch.verify|verify} messages.
                 * @function encode
                 * @memberof tally.agent.v1.EventBatch
                 * @static
                 * @param {tally.agent.v1.EventBatch.$Properties} message EventBatch message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                EventBatch.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.events != null && message.events.length)
                        for (let i = 0; i < message.events.length; ++i)
                            $root.tally.agent.v1.AgentEvent.encode(message.events[i], writer.uint32(/* id 1, wireType 2 =*/10).fork(), _depth + 1).ldelim();
                    if (message.floors != null && message.floors.length)
                        for (let i = 0; i < message.floors.length; ++i)
                            $root.tally.agent.v1.StreamFloor.encode(message.floors[i], writer.uint32(/* id 2, wireType 2 =*/18).fork(), _depth + 1).ldelim();
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (let i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };

                /**
                 * Encodes the specified EventBatch message, length delimited. Does not implicitly {@link tally.agent.v1.EventBatch.verify|verify} messages.
                 * @function encodeDelimited
                 * @memberof tally.agent.v1.EventBatch
                 * @static
                 * @param {tally.agent.v1.EventBatch.$Properties} message EventBatch message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                EventBatch.encodeDelimited = function(message, writer) {
                    return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
                };

                /**
                 * Decodes an EventBatch message from the specified reader or buffer.
                 * @function decode
                 * @memberof tally.agent.v1.EventBatch
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @param {number} [length] Message length if known beforehand
                 * @returns {tally.agent.v1.EventBatch & tally.agent.v1.EventBatch.$Shape} EventBatch
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                EventBatch.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    let end, message;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.tally.agent.v1.EventBatch();
                    while (reader.pos < end) {
                        let start = reader.pos;
                        let tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        let wireType = tag & 7;
                        switch (tag >>>= 3) {
                        case 1: {
                                if (wireType !== 2)
                                    break;
                                if (!(message.events && message.events.length))
                                    message.events = [];
                                message.events.push($root.tally.agent.v1.AgentEvent.decode(reader, reader.size(), $undefined, _depth + 1));
                                continue;
                            }
                        case 2: {
                                if (wireType !== 2)
                                    break;
                                if (!(message.floors && message.floors.length))
                                    message.floors = [];
                                message.floors.push($root.tally.agent.v1.StreamFloor.decode(reader, reader.size(), $undefined, _depth + 1));
                                continue;
                            }
                        }
                        reader.skipType(wireType, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };

                /**
                 * Decodes an EventBatch message from the specified reader or buffer, length delimited.
                 * @function decodeDelimited
                 * @memberof tally.agent.v1.EventBatch
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @returns {tally.agent.v1.EventBatch & tally.agent.v1.EventBatch.$Shape} EventBatch
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                EventBatch.decodeDelimited = function(reader) {
                    if (!(reader instanceof $Reader))
                        reader = new $Reader(reader);
                    return this.decode(reader, reader.size());
                };

                /**
                 * Verifies an EventBatch message.
                 * @function verify
                 * @memberof tally.agent.v1.EventBatch
                 * @static
                 * @param {Object.<string,*>} message Plain object to verify
                 * @returns {string|null} `null` if valid, otherwise the reason why it is not
                 */
                EventBatch.verify = function (message, _depth) {
                    if (typeof message !== "object" || message === null)
                        return "object expected";
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        return "max depth exceeded";
                    if (message.events != null && $Object.hasOwnProperty.call(message, "events")) {
                        if (!$Array.isArray(message.events))
                            return "events: array expected";
                        for (let i = 0; i < message.events.length; ++i) {
                            let error = $root.tally.agent.v1.AgentEvent.verify(message.events[i], _depth + 1);
                            if (error)
                                return "events." + error;
                        }
                    }
                    if (message.floors != null && $Object.hasOwnProperty.call(message, "floors")) {
                        if (!$Array.isArray(message.floors))
                            return "floors: array expected";
                        for (let i = 0; i < message.floors.length; ++i) {
                            let error = $root.tally.agent.v1.StreamFloor.verify(message.floors[i], _depth + 1);
                            if (error)
                                return "floors." + error;
                        }
                    }
                    return null;
                };

                /**
                 * Creates an EventBatch message from a plain object. Also converts values to their respective internal types.
                 * @function fromObject
                 * @memberof tally.agent.v1.EventBatch
                 * @static
                 * @param {Object.<string,*>} object Plain object
                 * @returns {tally.agent.v1.EventBatch} EventBatch
                 */
                EventBatch.fromObject = function (object, _depth) {
                    if (object instanceof $root.tally.agent.v1.EventBatch)
                        return object;
                    if (!$util.isObject(object))
                        throw $TypeError(".tally.agent.v1.EventBatch: object expected");
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let message = new $root.tally.agent.v1.EventBatch();
                    if (object.events) {
                        if (!$Array.isArray(object.events))
                            throw $TypeError(".tally.agent.v1.EventBatch.events: array expected");
                        message.events = $Array(object.events.length);
                        for (let i = 0; i < object.events.length; ++i) {
                            if (!$util.isObject(object.events[i]))
                                throw $TypeError(".tally.agent.v1.EventBatch.events: object expected");
                            message.events[i] = $root.tally.agent.v1.AgentEvent.fromObject(object.events[i], _depth + 1);
                        }
                    }
                    if (object.floors) {
                        if (!$Array.isArray(object.floors))
                            throw $TypeError(".tally.agent.v1.EventBatch.floors: array expected");
                        message.floors = $Array(object.floors.length);
                        for (let i = 0; i < object.floors.length; ++i) {
                            if (!$util.isObject(object.floors[i]))
                                throw $TypeError(".tally.agent.v1.EventBatch.floors: object expected");
                            message.floors[i] = $root.tally.agent.v1.StreamFloor.fromObject(object.floors[i], _depth + 1);
                        }
                    }
                    return message;
                };

                /**
                 * Creates a plain object from an EventBatch message. Also converts values to other types if specified.
                 * @function toObject
                 * @memberof tally.agent.v1.EventBatch
                 * @static
                 * @param {tally.agent.v1.EventBatch} message EventBatch
                 * @param {$protobuf.IConversionOptions} [options] Conversion options
                 * @returns {Object.<string,*>} Plain object
                 */
                EventBatch.toObject = function (message, options, _depth) {
                    if (!options)
                        options = {};
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let object = {};
                    if (options.arrays || options.defaults) {
                        object.events = [];
                        object.floors = [];
                    }
                    if (message.events && message.events.length) {
                        object.events = $Array(message.events.length);
                        for (let j = 0; j < message.events.length; ++j)
                            object.events[j] = $root.tally.agent.v1.AgentEvent.toObject(message.events[j], options, _depth + 1);
                    }
                    if (message.floors && message.floors.length) {
                        object.floors = $Array(message.floors.length);
                        for (let j = 0; j < message.floors.length; ++j)
                            object.floors[j] = $root.tally.agent.v1.StreamFloor.toObject(message.floors[j], options, _depth + 1);
                    }
                    return object;
                };

                /**
                 * Converts this EventBatch to JSON.
                 * @function toJSON
                 * @memberof tally.agent.v1.EventBatch
                 * @instance
                 * @returns {Object.<string,*>} JSON object
                 */
                EventBatch.prototype.toJSON = function() {
                    return EventBatch.toObject(this, $protobuf.util.toJSONOptions);
                };

                /**
                 * Gets the type url for EventBatch
                 * @function getTypeUrl
                 * @memberof tally.agent.v1.EventBatch
                 * @static
                 * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns {string} The type url
                 */
                EventBatch.getTypeUrl = function(prefix) {
                    if (prefix === $undefined)
                        prefix = "type.googleapis.com";
                    return prefix + "/tally.agent.v1.EventBatch";
                };

                return EventBatch;
            })();

            v1.Uninstalled = (function() {

                /**
                 * Properties of an Uninstalled.
                 * @typedef {Object} tally.agent.v1.Uninstalled.$Properties
                 * @property {string|null} [reason] Uninstalled reason
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of an Uninstalled.
                 * @memberof tally.agent.v1
                 * @interface IUninstalled
                 * @augments tally.agent.v1.Uninstalled.$Properties
                 * @deprecated Use tally.agent.v1.Uninstalled.$Properties instead.
                 */

                /**
                 * Shape of an Uninstalled.
                 * @typedef {tally.agent.v1.Uninstalled.$Properties} tally.agent.v1.Uninstalled.$Shape
                 */

                /**
                 * Constructs a new Uninstalled.
                 * @memberof tally.agent.v1
                 * @classdesc Represents an Uninstalled.
                 * @constructor
                 * @param {tally.agent.v1.Uninstalled.$Properties=} [properties] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const Uninstalled = function (properties) {
                    if (properties)
                        for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };

                /**
                 * Uninstalled reason.
                 * @member {string} reason
                 * @memberof tally.agent.v1.Uninstalled
                 * @instance
                 */
                Uninstalled.prototype.reason = "";

                /**
                 * Creates a new Uninstalled instance using the specified properties.
                 * @function create
                 * @memberof tally.agent.v1.Uninstalled
                 * @static
                 * @param {tally.agent.v1.Uninstalled.$Properties=} [properties] Properties to set
                 * @returns {tally.agent.v1.Uninstalled} Uninstalled instance
                 * @type {{
                 *   (properties: tally.agent.v1.Uninstalled.$Shape): tally.agent.v1.Uninstalled & tally.agent.v1.Uninstalled.$Shape;
                 *   (properties?: tally.agent.v1.Uninstalled.$Properties): tally.agent.v1.Uninstalled;
                 * }}
                 */
                Uninstalled.create = function(properties) {
                    return new Uninstalled(properties);
                };

                /**
                 * Encodes the specified Uninstalled message. Does not implicitly {@link tally.agent.v1.Uninstalled.verify|verify} messages.
                 * @function encode
                 * @memberof tally.agent.v1.Uninstalled
                 * @static
                 * @param {tally.agent.v1.Uninstalled.$Properties} message Uninstalled message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                Uninstalled.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.reason != null && $Object.hasOwnProperty.call(message, "reason") && message.reason !== "")
                        writer.uint32(/* id 1, wireType 2 =*/10).string(message.reason);
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (let i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };

                /**
                 * Encodes the specified Uninstalled message, length delimited. Does not implicitly {@link tally.agent.v1.Uninstalled.verify|verify} messages.
                 * @function encodeDelimited
                 * @memberof tally.agent.v1.Uninstalled
                 * @static
                 * @param {tally.agent.v1.Uninstalled.$Properties} message Uninstalled message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                Uninstalled.encodeDelimited = function(message, writer) {
                    return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
                };

                /**
                 * Decodes an Uninstalled message from the specified reader or buffer.
                 * @function decode
                 * @memberof tally.agent.v1.Uninstalled
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @param {number} [length] Message length if known beforehand
                 * @returns {tally.agent.v1.Uninstalled & tally.agent.v1.Uninstalled.$Shape} Uninstalled
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                Uninstalled.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    let end, message, value;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.tally.agent.v1.Uninstalled();
                    while (reader.pos < end) {
                        let start = reader.pos;
                        let tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        let wireType = tag & 7;
                        switch (tag >>>= 3) {
                        case 1: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.reason = value;
                                else
                                    delete message.reason;
                                continue;
                            }
                        }
                        reader.skipType(wireType, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };

                /**
                 * Decodes an Uninstalled message from the specified reader or buffer, length delimited.
                 * @function decodeDelimited
                 * @memberof tally.agent.v1.Uninstalled
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @returns {tally.agent.v1.Uninstalled & tally.agent.v1.Uninstalled.$Shape} Uninstalled
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                Uninstalled.decodeDelimited = function(reader) {
                    if (!(reader instanceof $Reader))
                        reader = new $Reader(reader);
                    return this.decode(reader, reader.size());
                };

                /**
                 * Verifies an Uninstalled message.
                 * @function verify
                 * @memberof tally.agent.v1.Uninstalled
                 * @static
                 * @param {Object.<string,*>} message Plain object to verify
                 * @returns {string|null} `null` if valid, otherwise the reason why it is not
                 */
                Uninstalled.verify = function (message, _depth) {
                    if (typeof message !== "object" || message === null)
                        return "object expected";
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        return "max depth exceeded";
                    if (message.reason != null && $Object.hasOwnProperty.call(message, "reason"))
                        if (!$util.isString(message.reason))
                            return "reason: string expected";
                    return null;
                };

                /**
                 * Creates an Uninstalled message from a plain object. Also converts values to their respective internal types.
                 * @function fromObject
                 * @memberof tally.agent.v1.Uninstalled
                 * @static
                 * @param {Object.<string,*>} object Plain object
                 * @returns {tally.agent.v1.Uninstalled} Uninstalled
                 */
                Uninstalled.fromObject = function (object, _depth) {
                    if (object instanceof $root.tally.agent.v1.Uninstalled)
                        return object;
                    if (!$util.isObject(object))
                        throw $TypeError(".tally.agent.v1.Uninstalled: object expected");
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let message = new $root.tally.agent.v1.Uninstalled();
                    if (object.reason != null)
                        if (typeof object.reason !== "string" || object.reason.length)
                            message.reason = $String(object.reason);
                    return message;
                };

                /**
                 * Creates a plain object from an Uninstalled message. Also converts values to other types if specified.
                 * @function toObject
                 * @memberof tally.agent.v1.Uninstalled
                 * @static
                 * @param {tally.agent.v1.Uninstalled} message Uninstalled
                 * @param {$protobuf.IConversionOptions} [options] Conversion options
                 * @returns {Object.<string,*>} Plain object
                 */
                Uninstalled.toObject = function (message, options, _depth) {
                    if (!options)
                        options = {};
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let object = {};
                    if (options.defaults)
                        object.reason = "";
                    if (message.reason != null && $Object.hasOwnProperty.call(message, "reason"))
                        object.reason = message.reason;
                    return object;
                };

                /**
                 * Converts this Uninstalled to JSON.
                 * @function toJSON
                 * @memberof tally.agent.v1.Uninstalled
                 * @instance
                 * @returns {Object.<string,*>} JSON object
                 */
                Uninstalled.prototype.toJSON = function() {
                    return Uninstalled.toObject(this, $protobuf.util.toJSONOptions);
                };

                /**
                 * Gets the type url for Uninstalled
                 * @function getTypeUrl
                 * @memberof tally.agent.v1.Uninstalled
                 * @static
                 * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns {string} The type url
                 */
                Uninstalled.getTypeUrl = function(prefix) {
                    if (prefix === $undefined)
                        prefix = "type.googleapis.com";
                    return prefix + "/tally.agent.v1.Uninstalled";
                };

                return Uninstalled;
            })();

            v1.ModuleChanged = (function() {

                /**
                 * Properties of a ModuleChanged.
                 * @typedef {Object} tally.agent.v1.ModuleChanged.$Properties
                 * @property {tally.agent.v1.ModuleState.$Properties|null} [module] ModuleChanged module
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of a ModuleChanged.
                 * @memberof tally.agent.v1
                 * @interface IModuleChanged
                 * @augments tally.agent.v1.ModuleChanged.$Properties
                 * @deprecated Use tally.agent.v1.ModuleChanged.$Properties instead.
                 */

                /**
                 * Shape of a ModuleChanged.
                 * @typedef {tally.agent.v1.ModuleChanged.$Properties} tally.agent.v1.ModuleChanged.$Shape
                 */

                /**
                 * Constructs a new ModuleChanged.
                 * @memberof tally.agent.v1
                 * @classdesc Represents a ModuleChanged.
                 * @constructor
                 * @param {tally.agent.v1.ModuleChanged.$Properties=} [properties] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const ModuleChanged = function (properties) {
                    if (properties)
                        for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };

                /**
                 * ModuleChanged module.
                 * @member {tally.agent.v1.ModuleState.$Properties|null|undefined} module
                 * @memberof tally.agent.v1.ModuleChanged
                 * @instance
                 */
                ModuleChanged.prototype.module = null;

                /**
                 * Creates a new ModuleChanged instance using the specified properties.
                 * @function create
                 * @memberof tally.agent.v1.ModuleChanged
                 * @static
                 * @param {tally.agent.v1.ModuleChanged.$Properties=} [properties] Properties to set
                 * @returns {tally.agent.v1.ModuleChanged} ModuleChanged instance
                 * @type {{
                 *   (properties: tally.agent.v1.ModuleChanged.$Shape): tally.agent.v1.ModuleChanged & tally.agent.v1.ModuleChanged.$Shape;
                 *   (properties?: tally.agent.v1.ModuleChanged.$Properties): tally.agent.v1.ModuleChanged;
                 * }}
                 */
                ModuleChanged.create = function(properties) {
                    return new ModuleChanged(properties);
                };

                /**
                 * Encodes the specified ModuleChanged message. Does not implicitly {@link tally.agent.v1.ModuleChanged.verify|verify} messages.
                 * @function encode
                 * @memberof tally.agent.v1.ModuleChanged
                 * @static
                 * @param {tally.agent.v1.ModuleChanged.$Properties} message ModuleChanged message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                ModuleChanged.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.module != null && $Object.hasOwnProperty.call(message, "module"))
                        $root.tally.agent.v1.ModuleState.encode(message.module, writer.uint32(/* id 1, wireType 2 =*/10).fork(), _depth + 1).ldelim();
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (let i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };

                /**
                 * Encodes the specified ModuleChanged message, length delimited. Does not implicitly {@link tally.agent.v1.ModuleChanged.verify|verify} messages.
                 * @function encodeDelimited
                 * @memberof tally.agent.v1.ModuleChanged
                 * @static
                 * @param {tally.agent.v1.ModuleChanged.$Properties} message ModuleChanged message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                ModuleChanged.encodeDelimited = function(message, writer) {
                    return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
                };

                /**
                 * Decodes a ModuleChanged message from the specified reader or buffer.
                 * @function decode
                 * @memberof tally.agent.v1.ModuleChanged
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @param {number} [length] Message length if known beforehand
                 * @returns {tally.agent.v1.ModuleChanged & tally.agent.v1.ModuleChanged.$Shape} ModuleChanged
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                ModuleChanged.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    let end, message, value;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.tally.agent.v1.ModuleChanged();
                    while (reader.pos < end) {
                        let start = reader.pos;
                        let tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        let wireType = tag & 7;
                        switch (tag >>>= 3) {
                        case 1: {
                                if (wireType !== 2)
                                    break;
                                message.module = $root.tally.agent.v1.ModuleState.decode(reader, reader.size(), $undefined, _depth + 1, message.module);
                                continue;
                            }
                        }
                        reader.skipType(wireType, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };

                /**
                 * Decodes a ModuleChanged message from the specified reader or buffer, length delimited.
                 * @function decodeDelimited
                 * @memberof tally.agent.v1.ModuleChanged
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @returns {tally.agent.v1.ModuleChanged & tally.agent.v1.ModuleChanged.$Shape} ModuleChanged
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                ModuleChanged.decodeDelimited = function(reader) {
                    if (!(reader instanceof $Reader))
                        reader = new $Reader(reader);
                    return this.decode(reader, reader.size());
                };

                /**
                 * Verifies a ModuleChanged message.
                 * @function verify
                 * @memberof tally.agent.v1.ModuleChanged
                 * @static
                 * @param {Object.<string,*>} message Plain object to verify
                 * @returns {string|null} `null` if valid, otherwise the reason why it is not
                 */
                ModuleChanged.verify = function (message, _depth) {
                    if (typeof message !== "object" || message === null)
                        return "object expected";
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        return "max depth exceeded";
                    if (message.module != null && $Object.hasOwnProperty.call(message, "module")) {
                        let error = $root.tally.agent.v1.ModuleState.verify(message.module, _depth + 1);
                        if (error)
                            return "module." + error;
                    }
                    return null;
                };

                /**
                 * Creates a ModuleChanged message from a plain object. Also converts values to their respective internal types.
                 * @function fromObject
                 * @memberof tally.agent.v1.ModuleChanged
                 * @static
                 * @param {Object.<string,*>} object Plain object
                 * @returns {tally.agent.v1.ModuleChanged} ModuleChanged
                 */
                ModuleChanged.fromObject = function (object, _depth) {
                    if (object instanceof $root.tally.agent.v1.ModuleChanged)
                        return object;
                    if (!$util.isObject(object))
                        throw $TypeError(".tally.agent.v1.ModuleChanged: object expected");
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let message = new $root.tally.agent.v1.ModuleChanged();
                    if (object.module != null) {
                        if (!$util.isObject(object.module))
                            throw $TypeError(".tally.agent.v1.ModuleChanged.module: object expected");
                        message.module = $root.tally.agent.v1.ModuleState.fromObject(object.module, _depth + 1);
                    }
                    return message;
                };

                /**
                 * Creates a plain object from a ModuleChanged message. Also converts values to other types if specified.
                 * @function toObject
                 * @memberof tally.agent.v1.ModuleChanged
                 * @static
                 * @param {tally.agent.v1.ModuleChanged} message ModuleChanged
                 * @param {$protobuf.IConversionOptions} [options] Conversion options
                 * @returns {Object.<string,*>} Plain object
                 */
                ModuleChanged.toObject = function (message, options, _depth) {
                    if (!options)
                        options = {};
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let object = {};
                    if (options.defaults)
                        object.module = null;
                    if (message.module != null && $Object.hasOwnProperty.call(message, "module"))
                        object.module = $root.tally.agent.v1.ModuleState.toObject(message.module, options, _depth + 1);
                    return object;
                };

                /**
                 * Converts this ModuleChanged to JSON.
                 * @function toJSON
                 * @memberof tally.agent.v1.ModuleChanged
                 * @instance
                 * @returns {Object.<string,*>} JSON object
                 */
                ModuleChanged.prototype.toJSON = function() {
                    return ModuleChanged.toObject(this, $protobuf.util.toJSONOptions);
                };

                /**
                 * Gets the type url for ModuleChanged
                 * @function getTypeUrl
                 * @memberof tally.agent.v1.ModuleChanged
                 * @static
                 * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns {string} The type url
                 */
                ModuleChanged.getTypeUrl = function(prefix) {
                    if (prefix === $undefined)
                        prefix = "type.googleapis.com";
                    return prefix + "/tally.agent.v1.ModuleChanged";
                };

                return ModuleChanged;
            })();

            v1.UserSignedIn = (function() {

                /**
                 * Properties of a UserSignedIn.
                 * @typedef {Object} tally.agent.v1.UserSignedIn.$Properties
                 * @property {tally.agent.v1.UserBinding.$Properties|null} [user] UserSignedIn user
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of a UserSignedIn.
                 * @memberof tally.agent.v1
                 * @interface IUserSignedIn
                 * @augments tally.agent.v1.UserSignedIn.$Properties
                 * @deprecated Use tally.agent.v1.UserSignedIn.$Properties instead.
                 */

                /**
                 * Shape of a UserSignedIn.
                 * @typedef {tally.agent.v1.UserSignedIn.$Properties} tally.agent.v1.UserSignedIn.$Shape
                 */

                /**
                 * Constructs a new UserSignedIn.
                 * @memberof tally.agent.v1
                 * @classdesc Represents a UserSignedIn.
                 * @constructor
                 * @param {tally.agent.v1.UserSignedIn.$Properties=} [properties] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const UserSignedIn = function (properties) {
                    if (properties)
                        for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };

                /**
                 * UserSignedIn user.
                 * @member {tally.agent.v1.UserBinding.$Properties|null|undefined} user
                 * @memberof tally.agent.v1.UserSignedIn
                 * @instance
                 */
                UserSignedIn.prototype.user = null;

                /**
                 * Creates a new UserSignedIn instance using the specified properties.
                 * @function create
                 * @memberof tally.agent.v1.UserSignedIn
                 * @static
                 * @param {tally.agent.v1.UserSignedIn.$Properties=} [properties] Properties to set
                 * @returns {tally.agent.v1.UserSignedIn} UserSignedIn instance
                 * @type {{
                 *   (properties: tally.agent.v1.UserSignedIn.$Shape): tally.agent.v1.UserSignedIn & tally.agent.v1.UserSignedIn.$Shape;
                 *   (properties?: tally.agent.v1.UserSignedIn.$Properties): tally.agent.v1.UserSignedIn;
                 * }}
                 */
                UserSignedIn.create = function(properties) {
                    return new UserSignedIn(properties);
                };

                /**
                 * Encodes the specified UserSignedIn message. Does not implicitly {@link tally.agent.v1.UserSignedIn.verify|verify} messages.
                 * @function encode
                 * @memberof tally.agent.v1.UserSignedIn
                 * @static
                 * @param {tally.agent.v1.UserSignedIn.$Properties} message UserSignedIn message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                UserSignedIn.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.user != null && $Object.hasOwnProperty.call(message, "user"))
                        $root.tally.agent.v1.UserBinding.encode(message.user, writer.uint32(/* id 1, wireType 2 =*/10).fork(), _depth + 1).ldelim();
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (let i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };

                /**
                 * Encodes the specified UserSignedIn message, length delimited. Does not implicitly {@link tally.agent.v1.UserSignedIn.verify|verify} messages.
                 * @function encodeDelimited
                 * @memberof tally.agent.v1.UserSignedIn
                 * @static
                 * @param {tally.agent.v1.UserSignedIn.$Properties} message UserSignedIn message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                UserSignedIn.encodeDelimited = function(message, writer) {
                    return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
                };

                /**
                 * Decodes a UserSignedIn message from the specified reader or buffer.
                 * @function decode
                 * @memberof tally.agent.v1.UserSignedIn
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @param {number} [length] Message length if known beforehand
                 * @returns {tally.agent.v1.UserSignedIn & tally.agent.v1.UserSignedIn.$Shape} UserSignedIn
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                UserSignedIn.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    let end, message, value;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.tally.agent.v1.UserSignedIn();
                    while (reader.pos < end) {
                        let start = reader.pos;
                        let tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        let wireType = tag & 7;
                        switch (tag >>>= 3) {
                        case 1: {
                                if (wireType !== 2)
                                    break;
                                message.user = $root.tally.agent.v1.UserBinding.decode(reader, reader.size(), $undefined, _depth + 1, message.user);
                                continue;
                            }
                        }
                        reader.skipType(wireType, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };

                /**
                 * Decodes a UserSignedIn message from the specified reader or buffer, length delimited.
                 * @function decodeDelimited
                 * @memberof tally.agent.v1.UserSignedIn
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @returns {tally.agent.v1.UserSignedIn & tally.agent.v1.UserSignedIn.$Shape} UserSignedIn
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                UserSignedIn.decodeDelimited = function(reader) {
                    if (!(reader instanceof $Reader))
                        reader = new $Reader(reader);
                    return this.decode(reader, reader.size());
                };

                /**
                 * Verifies a UserSignedIn message.
                 * @function verify
                 * @memberof tally.agent.v1.UserSignedIn
                 * @static
                 * @param {Object.<string,*>} message Plain object to verify
                 * @returns {string|null} `null` if valid, otherwise the reason why it is not
                 */
                UserSignedIn.verify = function (message, _depth) {
                    if (typeof message !== "object" || message === null)
                        return "object expected";
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        return "max depth exceeded";
                    if (message.user != null && $Object.hasOwnProperty.call(message, "user")) {
                        let error = $root.tally.agent.v1.UserBinding.verify(message.user, _depth + 1);
                        if (error)
                            return "user." + error;
                    }
                    return null;
                };

                /**
                 * Creates a UserSignedIn message from a plain object. Also converts values to their respective internal types.
                 * @function fromObject
                 * @memberof tally.agent.v1.UserSignedIn
                 * @static
                 * @param {Object.<string,*>} object Plain object
                 * @returns {tally.agent.v1.UserSignedIn} UserSignedIn
                 */
                UserSignedIn.fromObject = function (object, _depth) {
                    if (object instanceof $root.tally.agent.v1.UserSignedIn)
                        return object;
                    if (!$util.isObject(object))
                        throw $TypeError(".tally.agent.v1.UserSignedIn: object expected");
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let message = new $root.tally.agent.v1.UserSignedIn();
                    if (object.user != null) {
                        if (!$util.isObject(object.user))
                            throw $TypeError(".tally.agent.v1.UserSignedIn.user: object expected");
                        message.user = $root.tally.agent.v1.UserBinding.fromObject(object.user, _depth + 1);
                    }
                    return message;
                };

                /**
                 * Creates a plain object from a UserSignedIn message. Also converts values to other types if specified.
                 * @function toObject
                 * @memberof tally.agent.v1.UserSignedIn
                 * @static
                 * @param {tally.agent.v1.UserSignedIn} message UserSignedIn
                 * @param {$protobuf.IConversionOptions} [options] Conversion options
                 * @returns {Object.<string,*>} Plain object
                 */
                UserSignedIn.toObject = function (message, options, _depth) {
                    if (!options)
                        options = {};
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let object = {};
                    if (options.defaults)
                        object.user = null;
                    if (message.user != null && $Object.hasOwnProperty.call(message, "user"))
                        object.user = $root.tally.agent.v1.UserBinding.toObject(message.user, options, _depth + 1);
                    return object;
                };

                /**
                 * Converts this UserSignedIn to JSON.
                 * @function toJSON
                 * @memberof tally.agent.v1.UserSignedIn
                 * @instance
                 * @returns {Object.<string,*>} JSON object
                 */
                UserSignedIn.prototype.toJSON = function() {
                    return UserSignedIn.toObject(this, $protobuf.util.toJSONOptions);
                };

                /**
                 * Gets the type url for UserSignedIn
                 * @function getTypeUrl
                 * @memberof tally.agent.v1.UserSignedIn
                 * @static
                 * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns {string} The type url
                 */
                UserSignedIn.getTypeUrl = function(prefix) {
                    if (prefix === $undefined)
                        prefix = "type.googleapis.com";
                    return prefix + "/tally.agent.v1.UserSignedIn";
                };

                return UserSignedIn;
            })();

            v1.DeviceFacts = (function() {

                /**
                 * Properties of a DeviceFacts.
                 * @typedef {Object} tally.agent.v1.DeviceFacts.$Properties
                 * @property {tally.agent.v1.Identity.$Properties|null} [identity] DeviceFacts identity
                 * @property {string|null} [hostname] DeviceFacts hostname
                 * @property {tally.agent.v1.OsInfo.$Properties|null} [os] DeviceFacts os
                 * @property {tally.agent.v1.Virtualization.$Properties|null} [virtualization] DeviceFacts virtualization
                 * @property {tally.agent.v1.Role.$Properties|null} [role] DeviceFacts role
                 * @property {tally.agent.v1.Hardware.$Properties|null} [hardware] DeviceFacts hardware
                 * @property {Array.<tally.agent.v1.ModuleState.$Properties>|null} [modules] DeviceFacts modules
                 * @property {Array.<tally.agent.v1.UserBinding.$Properties>|null} [users] DeviceFacts users
                 * @property {string|null} [joinState] DeviceFacts joinState
                 * @property {Array.<string>|null} [ipAddresses] DeviceFacts ipAddresses
                 * @property {string|null} [ownership] DeviceFacts ownership
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of a DeviceFacts.
                 * @memberof tally.agent.v1
                 * @interface IDeviceFacts
                 * @augments tally.agent.v1.DeviceFacts.$Properties
                 * @deprecated Use tally.agent.v1.DeviceFacts.$Properties instead.
                 */

                /**
                 * Shape of a DeviceFacts.
                 * @typedef {tally.agent.v1.DeviceFacts.$Properties} tally.agent.v1.DeviceFacts.$Shape
                 */

                /**
                 * Constructs a new DeviceFacts.
                 * @memberof tally.agent.v1
                 * @classdesc Represents a DeviceFacts.
                 * @constructor
                 * @param {tally.agent.v1.DeviceFacts.$Properties=} [properties] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const DeviceFacts = function (properties) {
                    this.modules = [];
                    this.users = [];
                    this.ipAddresses = [];
                    if (properties)
                        for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };

                /**
                 * DeviceFacts identity.
                 * @member {tally.agent.v1.Identity.$Properties|null|undefined} identity
                 * @memberof tally.agent.v1.DeviceFacts
                 * @instance
                 */
                DeviceFacts.prototype.identity = null;

                /**
                 * DeviceFacts hostname.
                 * @member {string} hostname
                 * @memberof tally.agent.v1.DeviceFacts
                 * @instance
                 */
                DeviceFacts.prototype.hostname = "";

                /**
                 * DeviceFacts os.
                 * @member {tally.agent.v1.OsInfo.$Properties|null|undefined} os
                 * @memberof tally.agent.v1.DeviceFacts
                 * @instance
                 */
                DeviceFacts.prototype.os = null;

                /**
                 * DeviceFacts virtualization.
                 * @member {tally.agent.v1.Virtualization.$Properties|null|undefined} virtualization
                 * @memberof tally.agent.v1.DeviceFacts
                 * @instance
                 */
                DeviceFacts.prototype.virtualization = null;

                /**
                 * DeviceFacts role.
                 * @member {tally.agent.v1.Role.$Properties|null|undefined} role
                 * @memberof tally.agent.v1.DeviceFacts
                 * @instance
                 */
                DeviceFacts.prototype.role = null;

                /**
                 * DeviceFacts hardware.
                 * @member {tally.agent.v1.Hardware.$Properties|null|undefined} hardware
                 * @memberof tally.agent.v1.DeviceFacts
                 * @instance
                 */
                DeviceFacts.prototype.hardware = null;

                /**
                 * DeviceFacts modules.
                 * @member {Array.<tally.agent.v1.ModuleState.$Properties>} modules
                 * @memberof tally.agent.v1.DeviceFacts
                 * @instance
                 */
                DeviceFacts.prototype.modules = $util.emptyArray;

                /**
                 * DeviceFacts users.
                 * @member {Array.<tally.agent.v1.UserBinding.$Properties>} users
                 * @memberof tally.agent.v1.DeviceFacts
                 * @instance
                 */
                DeviceFacts.prototype.users = $util.emptyArray;

                /**
                 * DeviceFacts joinState.
                 * @member {string} joinState
                 * @memberof tally.agent.v1.DeviceFacts
                 * @instance
                 */
                DeviceFacts.prototype.joinState = "";

                /**
                 * DeviceFacts ipAddresses.
                 * @member {Array.<string>} ipAddresses
                 * @memberof tally.agent.v1.DeviceFacts
                 * @instance
                 */
                DeviceFacts.prototype.ipAddresses = $util.emptyArray;

                /**
                 * DeviceFacts ownership.
                 * @member {string} ownership
                 * @memberof tally.agent.v1.DeviceFacts
                 * @instance
                 */
                DeviceFacts.prototype.ownership = "";

                /**
                 * Creates a new DeviceFacts instance using the specified properties.
                 * @function create
                 * @memberof tally.agent.v1.DeviceFacts
                 * @static
                 * @param {tally.agent.v1.DeviceFacts.$Properties=} [properties] Properties to set
                 * @returns {tally.agent.v1.DeviceFacts} DeviceFacts instance
                 * @type {{
                 *   (properties: tally.agent.v1.DeviceFacts.$Shape): tally.agent.v1.DeviceFacts & tally.agent.v1.DeviceFacts.$Shape;
                 *   (properties?: tally.agent.v1.DeviceFacts.$Properties): tally.agent.v1.DeviceFacts;
                 * }}
                 */
                DeviceFacts.create = function(properties) {
                    return new DeviceFacts(properties);
                };

                /**
                 * Encodes the specified DeviceFacts message. Does not implicitly {@link tally.agent.v1.DeviceFacts.verify|verify} messages.
                 * @function encode
                 * @memberof tally.agent.v1.DeviceFacts
                 * @static
                 * @param {tally.agent.v1.DeviceFacts.$Properties} message DeviceFacts message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                DeviceFacts.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.identity != null && $Object.hasOwnProperty.call(message, "identity"))
                        $root.tally.agent.v1.Identity.encode(message.identity, writer.uint32(/* id 1, wireType 2 =*/10).fork(), _depth + 1).ldelim();
                    if (message.hostname != null && $Object.hasOwnProperty.call(message, "hostname") && message.hostname !== "")
                        writer.uint32(/* id 2, wireType 2 =*/18).string(message.hostname);
                    if (message.os != null && $Object.hasOwnProperty.call(message, "os"))
                        $root.tally.agent.v1.OsInfo.encode(message.os, writer.uint32(/* id 3, wireType 2 =*/26).fork(), _depth + 1).ldelim();
                    if (message.virtualization != null && $Object.hasOwnProperty.call(message, "virtualization"))
                        $root.tally.agent.v1.Virtualization.encode(message.virtualization, writer.uint32(/* id 4, wireType 2 =*/34).fork(), _depth + 1).ldelim();
                    if (message.role != null && $Object.hasOwnProperty.call(message, "role"))
                        $root.tally.agent.v1.Role.encode(message.role, writer.uint32(/* id 5, wireType 2 =*/42).fork(), _depth + 1).ldelim();
                    if (message.hardware != null && $Object.hasOwnProperty.call(message, "hardware"))
                        $root.tally.agent.v1.Hardware.encode(message.hardware, writer.uint32(/* id 6, wireType 2 =*/50).fork(), _depth + 1).ldelim();
                    if (message.modules != null && message.modules.length)
                        for (let i = 0; i < message.modules.length; ++i)
                            $root.tally.agent.v1.ModuleState.encode(message.modules[i], writer.uint32(/* id 7, wireType 2 =*/58).fork(), _depth + 1).ldelim();
                    if (message.users != null && message.users.length)
                        for (let i = 0; i < message.users.length; ++i)
                            $root.tally.agent.v1.UserBinding.encode(message.users[i], writer.uint32(/* id 8, wireType 2 =*/66).fork(), _depth + 1).ldelim();
                    if (message.joinState != null && $Object.hasOwnProperty.call(message, "joinState") && message.joinState !== "")
                        writer.uint32(/* id 9, wireType 2 =*/74).string(message.joinState);
                    if (message.ipAddresses != null && message.ipAddresses.length)
                        for (let i = 0; i < message.ipAddresses.length; ++i)
                            writer.uint32(/* id 10, wireType 2 =*/82).string(message.ipAddresses[i]);
                    if (message.ownership != null && $Object.hasOwnProperty.call(message, "ownership") && message.ownership !== "")
                        writer.uint32(/* id 11, wireType 2 =*/90).string(message.ownership);
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (let i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };

                /**
                 * Encodes the specified DeviceFacts message, length delimited. Does not implicitly {@link tally.agent.v1.DeviceFacts.verify|verify} messages.
                 * @function encodeDelimited
                 * @memberof tally.agent.v1.DeviceFacts
                 * @static
                 * @param {tally.agent.v1.DeviceFacts.$Properties} message DeviceFacts message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                DeviceFacts.encodeDelimited = function(message, writer) {
                    return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
                };

                /**
                 * Decodes a DeviceFacts message from the specified reader or buffer.
                 * @function decode
                 * @memberof tally.agent.v1.DeviceFacts
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @param {number} [length] Message length if known beforehand
                 * @returns {tally.agent.v1.DeviceFacts & tally.agent.v1.DeviceFacts.$Shape} DeviceFacts
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                DeviceFacts.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    let end, message, value;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.tally.agent.v1.DeviceFacts();
                    while (reader.pos < end) {
                        let start = reader.pos;
                        let tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        let wireType = tag & 7;
                        switch (tag >>>= 3) {
                        case 1: {
                                if (wireType !== 2)
                                    break;
                                message.identity = $root.tally.agent.v1.Identity.decode(reader, reader.size(), $undefined, _depth + 1, message.identity);
                                continue;
                            }
                        case 2: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.hostname = value;
                                else
                                    delete message.hostname;
                                continue;
                            }
                        case 3: {
                                if (wireType !== 2)
                                    break;
                                message.os = $root.tally.agent.v1.OsInfo.decode(reader, reader.size(), $undefined, _depth + 1, message.os);
                                continue;
                            }
                        case 4: {
                                if (wireType !== 2)
                                    break;
                                message.virtualization = $root.tally.agent.v1.Virtualization.decode(reader, reader.size(), $undefined, _depth + 1, message.virtualization);
                                continue;
                            }
                        case 5: {
                                if (wireType !== 2)
                                    break;
                                message.role = $root.tally.agent.v1.Role.decode(reader, reader.size(), $undefined, _depth + 1, message.role);
                                continue;
                            }
                        case 6: {
                                if (wireType !== 2)
                                    break;
                                message.hardware = $root.tally.agent.v1.Hardware.decode(reader, reader.size(), $undefined, _depth + 1, message.hardware);
                                continue;
                            }
                        case 7: {
                                if (wireType !== 2)
                                    break;
                                if (!(message.modules && message.modules.length))
                                    message.modules = [];
                                message.modules.push($root.tally.agent.v1.ModuleState.decode(reader, reader.size(), $undefined, _depth + 1));
                                continue;
                            }
                        case 8: {
                                if (wireType !== 2)
                                    break;
                                if (!(message.users && message.users.length))
                                    message.users = [];
                                message.users.push($root.tally.agent.v1.UserBinding.decode(reader, reader.size(), $undefined, _depth + 1));
                                continue;
                            }
                        case 9: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.joinState = value;
                                else
                                    delete message.joinState;
                                continue;
                            }
                        case 10: {
                                if (wireType !== 2)
                                    break;
                                if (!(message.ipAddresses && message.ipAddresses.length))
                                    message.ipAddresses = [];
                                message.ipAddresses.push(reader.stringVerify());
                                continue;
                            }
                        case 11: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.ownership = value;
                                else
                                    delete message.ownership;
                                continue;
                            }
                        }
                        reader.skipType(wireType, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };

                /**
                 * Decodes a DeviceFacts message from the specified reader or buffer, length delimited.
                 * @function decodeDelimited
                 * @memberof tally.agent.v1.DeviceFacts
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @returns {tally.agent.v1.DeviceFacts & tally.agent.v1.DeviceFacts.$Shape} DeviceFacts
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                DeviceFacts.decodeDelimited = function(reader) {
                    if (!(reader instanceof $Reader))
                        reader = new $Reader(reader);
                    return this.decode(reader, reader.size());
                };

                /**
                 * Verifies a DeviceFacts message.
                 * @function verify
                 * @memberof tally.agent.v1.DeviceFacts
                 * @static
                 * @param {Object.<string,*>} message Plain object to verify
                 * @returns {string|null} `null` if valid, otherwise the reason why it is not
                 */
                DeviceFacts.verify = function (message, _depth) {
                    if (typeof message !== "object" || message === null)
                        return "object expected";
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        return "max depth exceeded";
                    if (message.identity != null && $Object.hasOwnProperty.call(message, "identity")) {
                        let error = $root.tally.agent.v1.Identity.verify(message.identity, _depth + 1);
                        if (error)
                            return "identity." + error;
                    }
                    if (message.hostname != null && $Object.hasOwnProperty.call(message, "hostname"))
                        if (!$util.isString(message.hostname))
                            return "hostname: string expected";
                    if (message.os != null && $Object.hasOwnProperty.call(message, "os")) {
                        let error = $root.tally.agent.v1.OsInfo.verify(message.os, _depth + 1);
                        if (error)
                            return "os." + error;
                    }
                    if (message.virtualization != null && $Object.hasOwnProperty.call(message, "virtualization")) {
                        let error = $root.tally.agent.v1.Virtualization.verify(message.virtualization, _depth + 1);
                        if (error)
                            return "virtualization." + error;
                    }
                    if (message.role != null && $Object.hasOwnProperty.call(message, "role")) {
                        let error = $root.tally.agent.v1.Role.verify(message.role, _depth + 1);
                        if (error)
                            return "role." + error;
                    }
                    if (message.hardware != null && $Object.hasOwnProperty.call(message, "hardware")) {
                        let error = $root.tally.agent.v1.Hardware.verify(message.hardware, _depth + 1);
                        if (error)
                            return "hardware." + error;
                    }
                    if (message.modules != null && $Object.hasOwnProperty.call(message, "modules")) {
                        if (!$Array.isArray(message.modules))
                            return "modules: array expected";
                        for (let i = 0; i < message.modules.length; ++i) {
                            let error = $root.tally.agent.v1.ModuleState.verify(message.modules[i], _depth + 1);
                            if (error)
                                return "modules." + error;
                        }
                    }
                    if (message.users != null && $Object.hasOwnProperty.call(message, "users")) {
                        if (!$Array.isArray(message.users))
                            return "users: array expected";
                        for (let i = 0; i < message.users.length; ++i) {
                            let error = $root.tally.agent.v1.UserBinding.verify(message.users[i], _depth + 1);
                            if (error)
                                return "users." + error;
                        }
                    }
                    if (message.joinState != null && $Object.hasOwnProperty.call(message, "joinState"))
                        if (!$util.isString(message.joinState))
                            return "joinState: string expected";
                    if (message.ipAddresses != null && $Object.hasOwnProperty.call(message, "ipAddresses")) {
                        if (!$Array.isArray(message.ipAddresses))
                            return "ipAddresses: array expected";
                        for (let i = 0; i < message.ipAddresses.length; ++i)
                            if (!$util.isString(message.ipAddresses[i]))
                                return "ipAddresses: string[] expected";
                    }
                    if (message.ownership != null && $Object.hasOwnProperty.call(message, "ownership"))
                        if (!$util.isString(message.ownership))
                            return "ownership: string expected";
                    return null;
                };

                /**
                 * Creates a DeviceFacts message from a plain object. Also converts values to their respective internal types.
                 * @function fromObject
                 * @memberof tally.agent.v1.DeviceFacts
                 * @static
                 * @param {Object.<string,*>} object Plain object
                 * @returns {tally.agent.v1.DeviceFacts} DeviceFacts
                 */
                DeviceFacts.fromObject = function (object, _depth) {
                    if (object instanceof $root.tally.agent.v1.DeviceFacts)
                        return object;
                    if (!$util.isObject(object))
                        throw $TypeError(".tally.agent.v1.DeviceFacts: object expected");
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let message = new $root.tally.agent.v1.DeviceFacts();
                    if (object.identity != null) {
                        if (!$util.isObject(object.identity))
                            throw $TypeError(".tally.agent.v1.DeviceFacts.identity: object expected");
                        message.identity = $root.tally.agent.v1.Identity.fromObject(object.identity, _depth + 1);
                    }
                    if (object.hostname != null)
                        if (typeof object.hostname !== "string" || object.hostname.length)
                            message.hostname = $String(object.hostname);
                    if (object.os != null) {
                        if (!$util.isObject(object.os))
                            throw $TypeError(".tally.agent.v1.DeviceFacts.os: object expected");
                        message.os = $root.tally.agent.v1.OsInfo.fromObject(object.os, _depth + 1);
                    }
                    if (object.virtualization != null) {
                        if (!$util.isObject(object.virtualization))
                            throw $TypeError(".tally.agent.v1.DeviceFacts.virtualization: object expected");
                        message.virtualization = $root.tally.agent.v1.Virtualization.fromObject(object.virtualization, _depth + 1);
                    }
                    if (object.role != null) {
                        if (!$util.isObject(object.role))
                            throw $TypeError(".tally.agent.v1.DeviceFacts.role: object expected");
                        message.role = $root.tally.agent.v1.Role.fromObject(object.role, _depth + 1);
                    }
                    if (object.hardware != null) {
                        if (!$util.isObject(object.hardware))
                            throw $TypeError(".tally.agent.v1.DeviceFacts.hardware: object expected");
                        message.hardware = $root.tally.agent.v1.Hardware.fromObject(object.hardware, _depth + 1);
                    }
                    if (object.modules) {
                        if (!$Array.isArray(object.modules))
                            throw $TypeError(".tally.agent.v1.DeviceFacts.modules: array expected");
                        message.modules = $Array(object.modules.length);
                        for (let i = 0; i < object.modules.length; ++i) {
                            if (!$util.isObject(object.modules[i]))
                                throw $TypeError(".tally.agent.v1.DeviceFacts.modules: object expected");
                            message.modules[i] = $root.tally.agent.v1.ModuleState.fromObject(object.modules[i], _depth + 1);
                        }
                    }
                    if (object.users) {
                        if (!$Array.isArray(object.users))
                            throw $TypeError(".tally.agent.v1.DeviceFacts.users: array expected");
                        message.users = $Array(object.users.length);
                        for (let i = 0; i < object.users.length; ++i) {
                            if (!$util.isObject(object.users[i]))
                                throw $TypeError(".tally.agent.v1.DeviceFacts.users: object expected");
                            message.users[i] = $root.tally.agent.v1.UserBinding.fromObject(object.users[i], _depth + 1);
                        }
                    }
                    if (object.joinState != null)
                        if (typeof object.joinState !== "string" || object.joinState.length)
                            message.joinState = $String(object.joinState);
                    if (object.ipAddresses) {
                        if (!$Array.isArray(object.ipAddresses))
                            throw $TypeError(".tally.agent.v1.DeviceFacts.ipAddresses: array expected");
                        message.ipAddresses = $Array(object.ipAddresses.length);
                        for (let i = 0; i < object.ipAddresses.length; ++i)
                            message.ipAddresses[i] = $String(object.ipAddresses[i]);
                    }
                    if (object.ownership != null)
                        if (typeof object.ownership !== "string" || object.ownership.length)
                            message.ownership = $String(object.ownership);
                    return message;
                };

                /**
                 * Creates a plain object from a DeviceFacts message. Also converts values to other types if specified.
                 * @function toObject
                 * @memberof tally.agent.v1.DeviceFacts
                 * @static
                 * @param {tally.agent.v1.DeviceFacts} message DeviceFacts
                 * @param {$protobuf.IConversionOptions} [options] Conversion options
                 * @returns {Object.<string,*>} Plain object
                 */
                DeviceFacts.toObject = function (message, options, _depth) {
                    if (!options)
                        options = {};
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let object = {};
                    if (options.arrays || options.defaults) {
                        object.modules = [];
                        object.users = [];
                        object.ipAddresses = [];
                    }
                    if (options.defaults) {
                        object.identity = null;
                        object.hostname = "";
                        object.os = null;
                        object.virtualization = null;
                        object.role = null;
                        object.hardware = null;
                        object.joinState = "";
                        object.ownership = "";
                    }
                    if (message.identity != null && $Object.hasOwnProperty.call(message, "identity"))
                        object.identity = $root.tally.agent.v1.Identity.toObject(message.identity, options, _depth + 1);
                    if (message.hostname != null && $Object.hasOwnProperty.call(message, "hostname"))
                        object.hostname = message.hostname;
                    if (message.os != null && $Object.hasOwnProperty.call(message, "os"))
                        object.os = $root.tally.agent.v1.OsInfo.toObject(message.os, options, _depth + 1);
                    if (message.virtualization != null && $Object.hasOwnProperty.call(message, "virtualization"))
                        object.virtualization = $root.tally.agent.v1.Virtualization.toObject(message.virtualization, options, _depth + 1);
                    if (message.role != null && $Object.hasOwnProperty.call(message, "role"))
                        object.role = $root.tally.agent.v1.Role.toObject(message.role, options, _depth + 1);
                    if (message.hardware != null && $Object.hasOwnProperty.call(message, "hardware"))
                        object.hardware = $root.tally.agent.v1.Hardware.toObject(message.hardware, options, _depth + 1);
                    if (message.modules && message.modules.length) {
                        object.modules = $Array(message.modules.length);
                        for (let j = 0; j < message.modules.length; ++j)
                            object.modules[j] = $root.tally.agent.v1.ModuleState.toObject(message.modules[j], options, _depth + 1);
                    }
                    if (message.users && message.users.length) {
                        object.users = $Array(message.users.length);
                        for (let j = 0; j < message.users.length; ++j)
                            object.users[j] = $root.tally.agent.v1.UserBinding.toObject(message.users[j], options, _depth + 1);
                    }
                    if (message.joinState != null && $Object.hasOwnProperty.call(message, "joinState"))
                        object.joinState = message.joinState;
                    if (message.ipAddresses && message.ipAddresses.length) {
                        object.ipAddresses = $Array(message.ipAddresses.length);
                        for (let j = 0; j < message.ipAddresses.length; ++j)
                            object.ipAddresses[j] = message.ipAddresses[j];
                    }
                    if (message.ownership != null && $Object.hasOwnProperty.call(message, "ownership"))
                        object.ownership = message.ownership;
                    return object;
                };

                /**
                 * Converts this DeviceFacts to JSON.
                 * @function toJSON
                 * @memberof tally.agent.v1.DeviceFacts
                 * @instance
                 * @returns {Object.<string,*>} JSON object
                 */
                DeviceFacts.prototype.toJSON = function() {
                    return DeviceFacts.toObject(this, $protobuf.util.toJSONOptions);
                };

                /**
                 * Gets the type url for DeviceFacts
                 * @function getTypeUrl
                 * @memberof tally.agent.v1.DeviceFacts
                 * @static
                 * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns {string} The type url
                 */
                DeviceFacts.getTypeUrl = function(prefix) {
                    if (prefix === $undefined)
                        prefix = "type.googleapis.com";
                    return prefix + "/tally.agent.v1.DeviceFacts";
                };

                return DeviceFacts;
            })();

            v1.Identity = (function() {

                /**
                 * Properties of an Identity.
                 * @typedef {Object} tally.agent.v1.Identity.$Properties
                 * @property {string|null} [hardwareUuid] Identity hardwareUuid
                 * @property {string|null} [systemSerial] Identity systemSerial
                 * @property {string|null} [baseboardSerial] Identity baseboardSerial
                 * @property {string|null} [osMachineId] Identity osMachineId
                 * @property {Array.<string>|null} [macs] Identity macs
                 * @property {string|null} [cloudInstanceId] Identity cloudInstanceId
                 * @property {string|null} [agentInstanceId] Identity agentInstanceId
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of an Identity.
                 * @memberof tally.agent.v1
                 * @interface IIdentity
                 * @augments tally.agent.v1.Identity.$Properties
                 * @deprecated Use tally.agent.v1.Identity.$Properties instead.
                 */

                /**
                 * Shape of an Identity.
                 * @typedef {tally.agent.v1.Identity.$Properties} tally.agent.v1.Identity.$Shape
                 */

                /**
                 * Constructs a new Identity.
                 * @memberof tally.agent.v1
                 * @classdesc Represents an Identity.
                 * @constructor
                 * @param {tally.agent.v1.Identity.$Properties=} [properties] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const Identity = function (properties) {
                    this.macs = [];
                    if (properties)
                        for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };

                /**
                 * Identity hardwareUuid.
                 * @member {string} hardwareUuid
                 * @memberof tally.agent.v1.Identity
                 * @instance
                 */
                Identity.prototype.hardwareUuid = "";

                /**
                 * Identity systemSerial.
                 * @member {string} systemSerial
                 * @memberof tally.agent.v1.Identity
                 * @instance
                 */
                Identity.prototype.systemSerial = "";

                /**
                 * Identity baseboardSerial.
                 * @member {string} baseboardSerial
                 * @memberof tally.agent.v1.Identity
                 * @instance
                 */
                Identity.prototype.baseboardSerial = "";

                /**
                 * Identity osMachineId.
                 * @member {string} osMachineId
                 * @memberof tally.agent.v1.Identity
                 * @instance
                 */
                Identity.prototype.osMachineId = "";

                /**
                 * Identity macs.
                 * @member {Array.<string>} macs
                 * @memberof tally.agent.v1.Identity
                 * @instance
                 */
                Identity.prototype.macs = $util.emptyArray;

                /**
                 * Identity cloudInstanceId.
                 * @member {string} cloudInstanceId
                 * @memberof tally.agent.v1.Identity
                 * @instance
                 */
                Identity.prototype.cloudInstanceId = "";

                /**
                 * Identity agentInstanceId.
                 * @member {string} agentInstanceId
                 * @memberof tally.agent.v1.Identity
                 * @instance
                 */
                Identity.prototype.agentInstanceId = "";

                /**
                 * Creates a new Identity instance using the specified properties.
                 * @function create
                 * @memberof tally.agent.v1.Identity
                 * @static
                 * @param {tally.agent.v1.Identity.$Properties=} [properties] Properties to set
                 * @returns {tally.agent.v1.Identity} Identity instance
                 * @type {{
                 *   (properties: tally.agent.v1.Identity.$Shape): tally.agent.v1.Identity & tally.agent.v1.Identity.$Shape;
                 *   (properties?: tally.agent.v1.Identity.$Properties): tally.agent.v1.Identity;
                 * }}
                 */
                Identity.create = function(properties) {
                    return new Identity(properties);
                };

                /**
                 * Encodes the specified Identity message. Does not implicitly {@link tally.agent.v1.Identity.verify|verify} messages.
                 * @function encode
                 * @memberof tally.agent.v1.Identity
                 * @static
                 * @param {tally.agent.v1.Identity.$Properties} message Identity message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                Identity.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.hardwareUuid != null && $Object.hasOwnProperty.call(message, "hardwareUuid") && message.hardwareUuid !== "")
                        writer.uint32(/* id 1, wireType 2 =*/10).string(message.hardwareUuid);
                    if (message.systemSerial != null && $Object.hasOwnProperty.call(message, "systemSerial") && message.systemSerial !== "")
                        writer.uint32(/* id 2, wireType 2 =*/18).string(message.systemSerial);
                    if (message.baseboardSerial != null && $Object.hasOwnProperty.call(message, "baseboardSerial") && message.baseboardSerial !== "")
                        writer.uint32(/* id 3, wireType 2 =*/26).string(message.baseboardSerial);
                    if (message.osMachineId != null && $Object.hasOwnProperty.call(message, "osMachineId") && message.osMachineId !== "")
                        writer.uint32(/* id 4, wireType 2 =*/34).string(message.osMachineId);
                    if (message.macs != null && message.macs.length)
                        for (let i = 0; i < message.macs.length; ++i)
                            writer.uint32(/* id 5, wireType 2 =*/42).string(message.macs[i]);
                    if (message.cloudInstanceId != null && $Object.hasOwnProperty.call(message, "cloudInstanceId") && message.cloudInstanceId !== "")
                        writer.uint32(/* id 6, wireType 2 =*/50).string(message.cloudInstanceId);
                    if (message.agentInstanceId != null && $Object.hasOwnProperty.call(message, "agentInstanceId") && message.agentInstanceId !== "")
                        writer.uint32(/* id 7, wireType 2 =*/58).string(message.agentInstanceId);
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (let i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };

                /**
                 * Encodes the specified Identity message, length delimited. Does not implicitly {@link tally.agent.v1.Identity.verify|verify} messages.
                 * @function encodeDelimited
                 * @memberof tally.agent.v1.Identity
                 * @static
                 * @param {tally.agent.v1.Identity.$Properties} message Identity message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                Identity.encodeDelimited = function(message, writer) {
                    return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
                };

                /**
                 * Decodes an Identity message from the specified reader or buffer.
                 * @function decode
                 * @memberof tally.agent.v1.Identity
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @param {number} [length] Message length if known beforehand
                 * @returns {tally.agent.v1.Identity & tally.agent.v1.Identity.$Shape} Identity
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                Identity.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    let end, message, value;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.tally.agent.v1.Identity();
                    while (reader.pos < end) {
                        let start = reader.pos;
                        let tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        let wireType = tag & 7;
                        switch (tag >>>= 3) {
                        case 1: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.hardwareUuid = value;
                                else
                                    delete message.hardwareUuid;
                                continue;
                            }
                        case 2: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.systemSerial = value;
                                else
                                    delete message.systemSerial;
                                continue;
                            }
                        case 3: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.baseboardSerial = value;
                                else
                                    delete message.baseboardSerial;
                                continue;
                            }
                        case 4: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.osMachineId = value;
                                else
                                    delete message.osMachineId;
                                continue;
                            }
                        case 5: {
                                if (wireType !== 2)
                                    break;
                                if (!(message.macs && message.macs.length))
                                    message.macs = [];
                                message.macs.push(reader.stringVerify());
                                continue;
                            }
                        case 6: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.cloudInstanceId = value;
                                else
                                    delete message.cloudInstanceId;
                                continue;
                            }
                        case 7: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.agentInstanceId = value;
                                else
                                    delete message.agentInstanceId;
                                continue;
                            }
                        }
                        reader.skipType(wireType, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };

                /**
                 * Decodes an Identity message from the specified reader or buffer, length delimited.
                 * @function decodeDelimited
                 * @memberof tally.agent.v1.Identity
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @returns {tally.agent.v1.Identity & tally.agent.v1.Identity.$Shape} Identity
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                Identity.decodeDelimited = function(reader) {
                    if (!(reader instanceof $Reader))
                        reader = new $Reader(reader);
                    return this.decode(reader, reader.size());
                };

                /**
                 * Verifies an Identity message.
                 * @function verify
                 * @memberof tally.agent.v1.Identity
                 * @static
                 * @param {Object.<string,*>} message Plain object to verify
                 * @returns {string|null} `null` if valid, otherwise the reason why it is not
                 */
                Identity.verify = function (message, _depth) {
                    if (typeof message !== "object" || message === null)
                        return "object expected";
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        return "max depth exceeded";
                    if (message.hardwareUuid != null && $Object.hasOwnProperty.call(message, "hardwareUuid"))
                        if (!$util.isString(message.hardwareUuid))
                            return "hardwareUuid: string expected";
                    if (message.systemSerial != null && $Object.hasOwnProperty.call(message, "systemSerial"))
                        if (!$util.isString(message.systemSerial))
                            return "systemSerial: string expected";
                    if (message.baseboardSerial != null && $Object.hasOwnProperty.call(message, "baseboardSerial"))
                        if (!$util.isString(message.baseboardSerial))
                            return "baseboardSerial: string expected";
                    if (message.osMachineId != null && $Object.hasOwnProperty.call(message, "osMachineId"))
                        if (!$util.isString(message.osMachineId))
                            return "osMachineId: string expected";
                    if (message.macs != null && $Object.hasOwnProperty.call(message, "macs")) {
                        if (!$Array.isArray(message.macs))
                            return "macs: array expected";
                        for (let i = 0; i < message.macs.length; ++i)
                            if (!$util.isString(message.macs[i]))
                                return "macs: string[] expected";
                    }
                    if (message.cloudInstanceId != null && $Object.hasOwnProperty.call(message, "cloudInstanceId"))
                        if (!$util.isString(message.cloudInstanceId))
                            return "cloudInstanceId: string expected";
                    if (message.agentInstanceId != null && $Object.hasOwnProperty.call(message, "agentInstanceId"))
                        if (!$util.isString(message.agentInstanceId))
                            return "agentInstanceId: string expected";
                    return null;
                };

                /**
                 * Creates an Identity message from a plain object. Also converts values to their respective internal types.
                 * @function fromObject
                 * @memberof tally.agent.v1.Identity
                 * @static
                 * @param {Object.<string,*>} object Plain object
                 * @returns {tally.agent.v1.Identity} Identity
                 */
                Identity.fromObject = function (object, _depth) {
                    if (object instanceof $root.tally.agent.v1.Identity)
                        return object;
                    if (!$util.isObject(object))
                        throw $TypeError(".tally.agent.v1.Identity: object expected");
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let message = new $root.tally.agent.v1.Identity();
                    if (object.hardwareUuid != null)
                        if (typeof object.hardwareUuid !== "string" || object.hardwareUuid.length)
                            message.hardwareUuid = $String(object.hardwareUuid);
                    if (object.systemSerial != null)
                        if (typeof object.systemSerial !== "string" || object.systemSerial.length)
                            message.systemSerial = $String(object.systemSerial);
                    if (object.baseboardSerial != null)
                        if (typeof object.baseboardSerial !== "string" || object.baseboardSerial.length)
                            message.baseboardSerial = $String(object.baseboardSerial);
                    if (object.osMachineId != null)
                        if (typeof object.osMachineId !== "string" || object.osMachineId.length)
                            message.osMachineId = $String(object.osMachineId);
                    if (object.macs) {
                        if (!$Array.isArray(object.macs))
                            throw $TypeError(".tally.agent.v1.Identity.macs: array expected");
                        message.macs = $Array(object.macs.length);
                        for (let i = 0; i < object.macs.length; ++i)
                            message.macs[i] = $String(object.macs[i]);
                    }
                    if (object.cloudInstanceId != null)
                        if (typeof object.cloudInstanceId !== "string" || object.cloudInstanceId.length)
                            message.cloudInstanceId = $String(object.cloudInstanceId);
                    if (object.agentInstanceId != null)
                        if (typeof object.agentInstanceId !== "string" || object.agentInstanceId.length)
                            message.agentInstanceId = $String(object.agentInstanceId);
                    return message;
                };

                /**
                 * Creates a plain object from an Identity message. Also converts values to other types if specified.
                 * @function toObject
                 * @memberof tally.agent.v1.Identity
                 * @static
                 * @param {tally.agent.v1.Identity} message Identity
                 * @param {$protobuf.IConversionOptions} [options] Conversion options
                 * @returns {Object.<string,*>} Plain object
                 */
                Identity.toObject = function (message, options, _depth) {
                    if (!options)
                        options = {};
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let object = {};
                    if (options.arrays || options.defaults)
                        object.macs = [];
                    if (options.defaults) {
                        object.hardwareUuid = "";
                        object.systemSerial = "";
                        object.baseboardSerial = "";
                        object.osMachineId = "";
                        object.cloudInstanceId = "";
                        object.agentInstanceId = "";
                    }
                    if (message.hardwareUuid != null && $Object.hasOwnProperty.call(message, "hardwareUuid"))
                        object.hardwareUuid = message.hardwareUuid;
                    if (message.systemSerial != null && $Object.hasOwnProperty.call(message, "systemSerial"))
                        object.systemSerial = message.systemSerial;
                    if (message.baseboardSerial != null && $Object.hasOwnProperty.call(message, "baseboardSerial"))
                        object.baseboardSerial = message.baseboardSerial;
                    if (message.osMachineId != null && $Object.hasOwnProperty.call(message, "osMachineId"))
                        object.osMachineId = message.osMachineId;
                    if (message.macs && message.macs.length) {
                        object.macs = $Array(message.macs.length);
                        for (let j = 0; j < message.macs.length; ++j)
                            object.macs[j] = message.macs[j];
                    }
                    if (message.cloudInstanceId != null && $Object.hasOwnProperty.call(message, "cloudInstanceId"))
                        object.cloudInstanceId = message.cloudInstanceId;
                    if (message.agentInstanceId != null && $Object.hasOwnProperty.call(message, "agentInstanceId"))
                        object.agentInstanceId = message.agentInstanceId;
                    return object;
                };

                /**
                 * Converts this Identity to JSON.
                 * @function toJSON
                 * @memberof tally.agent.v1.Identity
                 * @instance
                 * @returns {Object.<string,*>} JSON object
                 */
                Identity.prototype.toJSON = function() {
                    return Identity.toObject(this, $protobuf.util.toJSONOptions);
                };

                /**
                 * Gets the type url for Identity
                 * @function getTypeUrl
                 * @memberof tally.agent.v1.Identity
                 * @static
                 * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns {string} The type url
                 */
                Identity.getTypeUrl = function(prefix) {
                    if (prefix === $undefined)
                        prefix = "type.googleapis.com";
                    return prefix + "/tally.agent.v1.Identity";
                };

                return Identity;
            })();

            v1.OsInfo = (function() {

                /**
                 * Properties of an OsInfo.
                 * @typedef {Object} tally.agent.v1.OsInfo.$Properties
                 * @property {string|null} [platform] OsInfo platform
                 * @property {string|null} [name] OsInfo name
                 * @property {string|null} [version] OsInfo version
                 * @property {string|null} [build] OsInfo build
                 * @property {string|null} [arch] OsInfo arch
                 * @property {string|null} [kernel] OsInfo kernel
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of an OsInfo.
                 * @memberof tally.agent.v1
                 * @interface IOsInfo
                 * @augments tally.agent.v1.OsInfo.$Properties
                 * @deprecated Use tally.agent.v1.OsInfo.$Properties instead.
                 */

                /**
                 * Shape of an OsInfo.
                 * @typedef {tally.agent.v1.OsInfo.$Properties} tally.agent.v1.OsInfo.$Shape
                 */

                /**
                 * Constructs a new OsInfo.
                 * @memberof tally.agent.v1
                 * @classdesc Represents an OsInfo.
                 * @constructor
                 * @param {tally.agent.v1.OsInfo.$Properties=} [properties] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const OsInfo = function (properties) {
                    if (properties)
                        for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };

                /**
                 * OsInfo platform.
                 * @member {string} platform
                 * @memberof tally.agent.v1.OsInfo
                 * @instance
                 */
                OsInfo.prototype.platform = "";

                /**
                 * OsInfo name.
                 * @member {string} name
                 * @memberof tally.agent.v1.OsInfo
                 * @instance
                 */
                OsInfo.prototype.name = "";

                /**
                 * OsInfo version.
                 * @member {string} version
                 * @memberof tally.agent.v1.OsInfo
                 * @instance
                 */
                OsInfo.prototype.version = "";

                /**
                 * OsInfo build.
                 * @member {string} build
                 * @memberof tally.agent.v1.OsInfo
                 * @instance
                 */
                OsInfo.prototype.build = "";

                /**
                 * OsInfo arch.
                 * @member {string} arch
                 * @memberof tally.agent.v1.OsInfo
                 * @instance
                 */
                OsInfo.prototype.arch = "";

                /**
                 * OsInfo kernel.
                 * @member {string} kernel
                 * @memberof tally.agent.v1.OsInfo
                 * @instance
                 */
                OsInfo.prototype.kernel = "";

                /**
                 * Creates a new OsInfo instance using the specified properties.
                 * @function create
                 * @memberof tally.agent.v1.OsInfo
                 * @static
                 * @param {tally.agent.v1.OsInfo.$Properties=} [properties] Properties to set
                 * @returns {tally.agent.v1.OsInfo} OsInfo instance
                 * @type {{
                 *   (properties: tally.agent.v1.OsInfo.$Shape): tally.agent.v1.OsInfo & tally.agent.v1.OsInfo.$Shape;
                 *   (properties?: tally.agent.v1.OsInfo.$Properties): tally.agent.v1.OsInfo;
                 * }}
                 */
                OsInfo.create = function(properties) {
                    return new OsInfo(properties);
                };

                /**
                 * Encodes the specified OsInfo message. Does not implicitly {@link tally.agent.v1.OsInfo.verify|verify} messages.
                 * @function encode
                 * @memberof tally.agent.v1.OsInfo
                 * @static
                 * @param {tally.agent.v1.OsInfo.$Properties} message OsInfo message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                OsInfo.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.platform != null && $Object.hasOwnProperty.call(message, "platform") && message.platform !== "")
                        writer.uint32(/* id 1, wireType 2 =*/10).string(message.platform);
                    if (message.name != null && $Object.hasOwnProperty.call(message, "name") && message.name !== "")
                        writer.uint32(/* id 2, wireType 2 =*/18).string(message.name);
                    if (message.version != null && $Object.hasOwnProperty.call(message, "version") && message.version !== "")
                        writer.uint32(/* id 3, wireType 2 =*/26).string(message.version);
                    if (message.build != null && $Object.hasOwnProperty.call(message, "build") && message.build !== "")
                        writer.uint32(/* id 4, wireType 2 =*/34).string(message.build);
                    if (message.arch != null && $Object.hasOwnProperty.call(message, "arch") && message.arch !== "")
                        writer.uint32(/* id 5, wireType 2 =*/42).string(message.arch);
                    if (message.kernel != null && $Object.hasOwnProperty.call(message, "kernel") && message.kernel !== "")
                        writer.uint32(/* id 6, wireType 2 =*/50).string(message.kernel);
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (let i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };

                /**
                 * Encodes the specified OsInfo message, length delimited. Does not implicitly {@link tally.agent.v1.OsInfo.verify|verify} messages.
                 * @function encodeDelimited
                 * @memberof tally.agent.v1.OsInfo
                 * @static
                 * @param {tally.agent.v1.OsInfo.$Properties} message OsInfo message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                OsInfo.encodeDelimited = function(message, writer) {
                    return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
                };

                /**
                 * Decodes an OsInfo message from the specified reader or buffer.
                 * @function decode
                 * @memberof tally.agent.v1.OsInfo
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @param {number} [length] Message length if known beforehand
                 * @returns {tally.agent.v1.OsInfo & tally.agent.v1.OsInfo.$Shape} OsInfo
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                OsInfo.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    let end, message, value;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.tally.agent.v1.OsInfo();
                    while (reader.pos < end) {
                        let start = reader.pos;
                        let tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        let wireType = tag & 7;
                        switch (tag >>>= 3) {
                        case 1: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.platform = value;
                                else
                                    delete message.platform;
                                continue;
                            }
                        case 2: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.name = value;
                                else
                                    delete message.name;
                                continue;
                            }
                        case 3: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.version = value;
                                else
                                    delete message.version;
                                continue;
                            }
                        case 4: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.build = value;
                                else
                                    delete message.build;
                                continue;
                            }
                        case 5: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.arch = value;
                                else
                                    delete message.arch;
                                continue;
                            }
                        case 6: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.kernel = value;
                                else
                                    delete message.kernel;
                                continue;
                            }
                        }
                        reader.skipType(wireType, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };

                /**
                 * Decodes an OsInfo message from the specified reader or buffer, length delimited.
                 * @function decodeDelimited
                 * @memberof tally.agent.v1.OsInfo
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @returns {tally.agent.v1.OsInfo & tally.agent.v1.OsInfo.$Shape} OsInfo
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                OsInfo.decodeDelimited = function(reader) {
                    if (!(reader instanceof $Reader))
                        reader = new $Reader(reader);
                    return this.decode(reader, reader.size());
                };

                /**
                 * Verifies an OsInfo message.
                 * @function verify
                 * @memberof tally.agent.v1.OsInfo
                 * @static
                 * @param {Object.<string,*>} message Plain object to verify
                 * @returns {string|null} `null` if valid, otherwise the reason why it is not
                 */
                OsInfo.verify = function (message, _depth) {
                    if (typeof message !== "object" || message === null)
                        return "object expected";
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        return "max depth exceeded";
                    if (message.platform != null && $Object.hasOwnProperty.call(message, "platform"))
                        if (!$util.isString(message.platform))
                            return "platform: string expected";
                    if (message.name != null && $Object.hasOwnProperty.call(message, "name"))
                        if (!$util.isString(message.name))
                            return "name: string expected";
                    if (message.version != null && $Object.hasOwnProperty.call(message, "version"))
                        if (!$util.isString(message.version))
                            return "version: string expected";
                    if (message.build != null && $Object.hasOwnProperty.call(message, "build"))
                        if (!$util.isString(message.build))
                            return "build: string expected";
                    if (message.arch != null && $Object.hasOwnProperty.call(message, "arch"))
                        if (!$util.isString(message.arch))
                            return "arch: string expected";
                    if (message.kernel != null && $Object.hasOwnProperty.call(message, "kernel"))
                        if (!$util.isString(message.kernel))
                            return "kernel: string expected";
                    return null;
                };

                /**
                 * Creates an OsInfo message from a plain object. Also converts values to their respective internal types.
                 * @function fromObject
                 * @memberof tally.agent.v1.OsInfo
                 * @static
                 * @param {Object.<string,*>} object Plain object
                 * @returns {tally.agent.v1.OsInfo} OsInfo
                 */
                OsInfo.fromObject = function (object, _depth) {
                    if (object instanceof $root.tally.agent.v1.OsInfo)
                        return object;
                    if (!$util.isObject(object))
                        throw $TypeError(".tally.agent.v1.OsInfo: object expected");
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let message = new $root.tally.agent.v1.OsInfo();
                    if (object.platform != null)
                        if (typeof object.platform !== "string" || object.platform.length)
                            message.platform = $String(object.platform);
                    if (object.name != null)
                        if (typeof object.name !== "string" || object.name.length)
                            message.name = $String(object.name);
                    if (object.version != null)
                        if (typeof object.version !== "string" || object.version.length)
                            message.version = $String(object.version);
                    if (object.build != null)
                        if (typeof object.build !== "string" || object.build.length)
                            message.build = $String(object.build);
                    if (object.arch != null)
                        if (typeof object.arch !== "string" || object.arch.length)
                            message.arch = $String(object.arch);
                    if (object.kernel != null)
                        if (typeof object.kernel !== "string" || object.kernel.length)
                            message.kernel = $String(object.kernel);
                    return message;
                };

                /**
                 * Creates a plain object from an OsInfo message. Also converts values to other types if specified.
                 * @function toObject
                 * @memberof tally.agent.v1.OsInfo
                 * @static
                 * @param {tally.agent.v1.OsInfo} message OsInfo
                 * @param {$protobuf.IConversionOptions} [options] Conversion options
                 * @returns {Object.<string,*>} Plain object
                 */
                OsInfo.toObject = function (message, options, _depth) {
                    if (!options)
                        options = {};
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let object = {};
                    if (options.defaults) {
                        object.platform = "";
                        object.name = "";
                        object.version = "";
                        object.build = "";
                        object.arch = "";
                        object.kernel = "";
                    }
                    if (message.platform != null && $Object.hasOwnProperty.call(message, "platform"))
                        object.platform = message.platform;
                    if (message.name != null && $Object.hasOwnProperty.call(message, "name"))
                        object.name = message.name;
                    if (message.version != null && $Object.hasOwnProperty.call(message, "version"))
                        object.version = message.version;
                    if (message.build != null && $Object.hasOwnProperty.call(message, "build"))
                        object.build = message.build;
                    if (message.arch != null && $Object.hasOwnProperty.call(message, "arch"))
                        object.arch = message.arch;
                    if (message.kernel != null && $Object.hasOwnProperty.call(message, "kernel"))
                        object.kernel = message.kernel;
                    return object;
                };

                /**
                 * Converts this OsInfo to JSON.
                 * @function toJSON
                 * @memberof tally.agent.v1.OsInfo
                 * @instance
                 * @returns {Object.<string,*>} JSON object
                 */
                OsInfo.prototype.toJSON = function() {
                    return OsInfo.toObject(this, $protobuf.util.toJSONOptions);
                };

                /**
                 * Gets the type url for OsInfo
                 * @function getTypeUrl
                 * @memberof tally.agent.v1.OsInfo
                 * @static
                 * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns {string} The type url
                 */
                OsInfo.getTypeUrl = function(prefix) {
                    if (prefix === $undefined)
                        prefix = "type.googleapis.com";
                    return prefix + "/tally.agent.v1.OsInfo";
                };

                return OsInfo;
            })();

            v1.Virtualization = (function() {

                /**
                 * Properties of a Virtualization.
                 * @typedef {Object} tally.agent.v1.Virtualization.$Properties
                 * @property {boolean|null} [virtual] Virtualization virtual
                 * @property {string|null} [kind] Virtualization kind
                 * @property {string|null} [category] Virtualization category
                 * @property {Array.<string>|null} [evidence] Virtualization evidence
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of a Virtualization.
                 * @memberof tally.agent.v1
                 * @interface IVirtualization
                 * @augments tally.agent.v1.Virtualization.$Properties
                 * @deprecated Use tally.agent.v1.Virtualization.$Properties instead.
                 */

                /**
                 * Shape of a Virtualization.
                 * @typedef {tally.agent.v1.Virtualization.$Properties} tally.agent.v1.Virtualization.$Shape
                 */

                /**
                 * Constructs a new Virtualization.
                 * @memberof tally.agent.v1
                 * @classdesc Represents a Virtualization.
                 * @constructor
                 * @param {tally.agent.v1.Virtualization.$Properties=} [properties] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const Virtualization = function (properties) {
                    this.evidence = [];
                    if (properties)
                        for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };

                /**
                 * Virtualization virtual.
                 * @member {boolean} virtual
                 * @memberof tally.agent.v1.Virtualization
                 * @instance
                 */
                Virtualization.prototype.virtual = false;

                /**
                 * Virtualization kind.
                 * @member {string} kind
                 * @memberof tally.agent.v1.Virtualization
                 * @instance
                 */
                Virtualization.prototype.kind = "";

                /**
                 * Virtualization category.
                 * @member {string} category
                 * @memberof tally.agent.v1.Virtualization
                 * @instance
                 */
                Virtualization.prototype.category = "";

                /**
                 * Virtualization evidence.
                 * @member {Array.<string>} evidence
                 * @memberof tally.agent.v1.Virtualization
                 * @instance
                 */
                Virtualization.prototype.evidence = $util.emptyArray;

                /**
                 * Creates a new Virtualization instance using the specified properties.
                 * @function create
                 * @memberof tally.agent.v1.Virtualization
                 * @static
                 * @param {tally.agent.v1.Virtualization.$Properties=} [properties] Properties to set
                 * @returns {tally.agent.v1.Virtualization} Virtualization instance
                 * @type {{
                 *   (properties: tally.agent.v1.Virtualization.$Shape): tally.agent.v1.Virtualization & tally.agent.v1.Virtualization.$Shape;
                 *   (properties?: tally.agent.v1.Virtualization.$Properties): tally.agent.v1.Virtualization;
                 * }}
                 */
                Virtualization.create = function(properties) {
                    return new Virtualization(properties);
                };

                /**
                 * Encodes the specified Virtualization message. Does not implicitly {@link tally.agent.v1.Virtualization.verify|verify} messages.
                 * @function encode
                 * @memberof tally.agent.v1.Virtualization
                 * @static
                 * @param {tally.agent.v1.Virtualization.$Properties} message Virtualization message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                Virtualization.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.virtual != null && $Object.hasOwnProperty.call(message, "virtual") && message.virtual !== false)
                        writer.uint32(/* id 1, wireType 0 =*/8).bool(message.virtual);
                    if (message.kind != null && $Object.hasOwnProperty.call(message, "kind") && message.kind !== "")
                        writer.uint32(/* id 2, wireType 2 =*/18).string(message.kind);
                    if (message.category != null && $Object.hasOwnProperty.call(message, "category") && message.category !== "")
                        writer.uint32(/* id 3, wireType 2 =*/26).string(message.category);
                    if (message.evidence != null && message.evidence.length)
                        for (let i = 0; i < message.evidence.length; ++i)
                            writer.uint32(/* id 4, wireType 2 =*/34).string(message.evidence[i]);
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (let i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };

                /**
                 * Encodes the specified Virtualization message, length delimited. Does not implicitly {@link tally.agent.v1.Virtualization.verify|verify} messages.
                 * @function encodeDelimited
                 * @memberof tally.agent.v1.Virtualization
                 * @static
                 * @param {tally.agent.v1.Virtualization.$Properties} message Virtualization message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                Virtualization.encodeDelimited = function(message, writer) {
                    return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
                };

                /**
                 * Decodes a Virtualization message from the specified reader or buffer.
                 * @function decode
                 * @memberof tally.agent.v1.Virtualization
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @param {number} [length] Message length if known beforehand
                 * @returns {tally.agent.v1.Virtualization & tally.agent.v1.Virtualization.$Shape} Virtualization
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                Virtualization.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    let end, message, value;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.tally.agent.v1.Virtualization();
                    while (reader.pos < end) {
                        let start = reader.pos;
                        let tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        let wireType = tag & 7;
                        switch (tag >>>= 3) {
                        case 1: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.bool())
                                    message.virtual = value;
                                else
                                    delete message.virtual;
                                continue;
                            }
                        case 2: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.kind = value;
                                else
                                    delete message.kind;
                                continue;
                            }
                        case 3: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.category = value;
                                else
                                    delete message.category;
                                continue;
                            }
                        case 4: {
                                if (wireType !== 2)
                                    break;
                                if (!(message.evidence && message.evidence.length))
                                    message.evidence = [];
                                message.evidence.push(reader.stringVerify());
                                continue;
                            }
                        }
                        reader.skipType(wireType, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };

                /**
                 * Decodes a Virtualization message from the specified reader or buffer, length delimited.
                 * @function decodeDelimited
                 * @memberof tally.agent.v1.Virtualization
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @returns {tally.agent.v1.Virtualization & tally.agent.v1.Virtualization.$Shape} Virtualization
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                Virtualization.decodeDelimited = function(reader) {
                    if (!(reader instanceof $Reader))
                        reader = new $Reader(reader);
                    return this.decode(reader, reader.size());
                };

                /**
                 * Verifies a Virtualization message.
                 * @function verify
                 * @memberof tally.agent.v1.Virtualization
                 * @static
                 * @param {Object.<string,*>} message Plain object to verify
                 * @returns {string|null} `null` if valid, otherwise the reason why it is not
                 */
                Virtualization.verify = function (message, _depth) {
                    if (typeof message !== "object" || message === null)
                        return "object expected";
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        return "max depth exceeded";
                    if (message.virtual != null && $Object.hasOwnProperty.call(message, "virtual"))
                        if (typeof message.virtual !== "boolean")
                            return "virtual: boolean expected";
                    if (message.kind != null && $Object.hasOwnProperty.call(message, "kind"))
                        if (!$util.isString(message.kind))
                            return "kind: string expected";
                    if (message.category != null && $Object.hasOwnProperty.call(message, "category"))
                        if (!$util.isString(message.category))
                            return "category: string expected";
                    if (message.evidence != null && $Object.hasOwnProperty.call(message, "evidence")) {
                        if (!$Array.isArray(message.evidence))
                            return "evidence: array expected";
                        for (let i = 0; i < message.evidence.length; ++i)
                            if (!$util.isString(message.evidence[i]))
                                return "evidence: string[] expected";
                    }
                    return null;
                };

                /**
                 * Creates a Virtualization message from a plain object. Also converts values to their respective internal types.
                 * @function fromObject
                 * @memberof tally.agent.v1.Virtualization
                 * @static
                 * @param {Object.<string,*>} object Plain object
                 * @returns {tally.agent.v1.Virtualization} Virtualization
                 */
                Virtualization.fromObject = function (object, _depth) {
                    if (object instanceof $root.tally.agent.v1.Virtualization)
                        return object;
                    if (!$util.isObject(object))
                        throw $TypeError(".tally.agent.v1.Virtualization: object expected");
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let message = new $root.tally.agent.v1.Virtualization();
                    if (object.virtual != null)
                        if (object.virtual)
                            message.virtual = $Boolean(object.virtual);
                    if (object.kind != null)
                        if (typeof object.kind !== "string" || object.kind.length)
                            message.kind = $String(object.kind);
                    if (object.category != null)
                        if (typeof object.category !== "string" || object.category.length)
                            message.category = $String(object.category);
                    if (object.evidence) {
                        if (!$Array.isArray(object.evidence))
                            throw $TypeError(".tally.agent.v1.Virtualization.evidence: array expected");
                        message.evidence = $Array(object.evidence.length);
                        for (let i = 0; i < object.evidence.length; ++i)
                            message.evidence[i] = $String(object.evidence[i]);
                    }
                    return message;
                };

                /**
                 * Creates a plain object from a Virtualization message. Also converts values to other types if specified.
                 * @function toObject
                 * @memberof tally.agent.v1.Virtualization
                 * @static
                 * @param {tally.agent.v1.Virtualization} message Virtualization
                 * @param {$protobuf.IConversionOptions} [options] Conversion options
                 * @returns {Object.<string,*>} Plain object
                 */
                Virtualization.toObject = function (message, options, _depth) {
                    if (!options)
                        options = {};
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let object = {};
                    if (options.arrays || options.defaults)
                        object.evidence = [];
                    if (options.defaults) {
                        object.virtual = false;
                        object.kind = "";
                        object.category = "";
                    }
                    if (message.virtual != null && $Object.hasOwnProperty.call(message, "virtual"))
                        object.virtual = message.virtual;
                    if (message.kind != null && $Object.hasOwnProperty.call(message, "kind"))
                        object.kind = message.kind;
                    if (message.category != null && $Object.hasOwnProperty.call(message, "category"))
                        object.category = message.category;
                    if (message.evidence && message.evidence.length) {
                        object.evidence = $Array(message.evidence.length);
                        for (let j = 0; j < message.evidence.length; ++j)
                            object.evidence[j] = message.evidence[j];
                    }
                    return object;
                };

                /**
                 * Converts this Virtualization to JSON.
                 * @function toJSON
                 * @memberof tally.agent.v1.Virtualization
                 * @instance
                 * @returns {Object.<string,*>} JSON object
                 */
                Virtualization.prototype.toJSON = function() {
                    return Virtualization.toObject(this, $protobuf.util.toJSONOptions);
                };

                /**
                 * Gets the type url for Virtualization
                 * @function getTypeUrl
                 * @memberof tally.agent.v1.Virtualization
                 * @static
                 * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns {string} The type url
                 */
                Virtualization.getTypeUrl = function(prefix) {
                    if (prefix === $undefined)
                        prefix = "type.googleapis.com";
                    return prefix + "/tally.agent.v1.Virtualization";
                };

                return Virtualization;
            })();

            v1.Role = (function() {

                /**
                 * Properties of a Role.
                 * @typedef {Object} tally.agent.v1.Role.$Properties
                 * @property {string|null} [role] Role role
                 * @property {Array.<string>|null} [evidence] Role evidence
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of a Role.
                 * @memberof tally.agent.v1
                 * @interface IRole
                 * @augments tally.agent.v1.Role.$Properties
                 * @deprecated Use tally.agent.v1.Role.$Properties instead.
                 */

                /**
                 * Shape of a Role.
                 * @typedef {tally.agent.v1.Role.$Properties} tally.agent.v1.Role.$Shape
                 */

                /**
                 * Constructs a new Role.
                 * @memberof tally.agent.v1
                 * @classdesc Represents a Role.
                 * @constructor
                 * @param {tally.agent.v1.Role.$Properties=} [properties] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const Role = function (properties) {
                    this.evidence = [];
                    if (properties)
                        for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };

                /**
                 * Role role.
                 * @member {string} role
                 * @memberof tally.agent.v1.Role
                 * @instance
                 */
                Role.prototype.role = "";

                /**
                 * Role evidence.
                 * @member {Array.<string>} evidence
                 * @memberof tally.agent.v1.Role
                 * @instance
                 */
                Role.prototype.evidence = $util.emptyArray;

                /**
                 * Creates a new Role instance using the specified properties.
                 * @function create
                 * @memberof tally.agent.v1.Role
                 * @static
                 * @param {tally.agent.v1.Role.$Properties=} [properties] Properties to set
                 * @returns {tally.agent.v1.Role} Role instance
                 * @type {{
                 *   (properties: tally.agent.v1.Role.$Shape): tally.agent.v1.Role & tally.agent.v1.Role.$Shape;
                 *   (properties?: tally.agent.v1.Role.$Properties): tally.agent.v1.Role;
                 * }}
                 */
                Role.create = function(properties) {
                    return new Role(properties);
                };

                /**
                 * Encodes the specified Role message. Does not implicitly {@link tally.agent.v1.Role.verify|verify} messages.
                 * @function encode
                 * @memberof tally.agent.v1.Role
                 * @static
                 * @param {tally.agent.v1.Role.$Properties} message Role message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                Role.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.role != null && $Object.hasOwnProperty.call(message, "role") && message.role !== "")
                        writer.uint32(/* id 1, wireType 2 =*/10).string(message.role);
                    if (message.evidence != null && message.evidence.length)
                        for (let i = 0; i < message.evidence.length; ++i)
                            writer.uint32(/* id 2, wireType 2 =*/18).string(message.evidence[i]);
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (let i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };

                /**
                 * Encodes the specified Role message, length delimited. Does not implicitly {@link tally.agent.v1.Role.verify|verify} messages.
                 * @function encodeDelimited
                 * @memberof tally.agent.v1.Role
                 * @static
                 * @param {tally.agent.v1.Role.$Properties} message Role message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                Role.encodeDelimited = function(message, writer) {
                    return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
                };

                /**
                 * Decodes a Role message from the specified reader or buffer.
                 * @function decode
                 * @memberof tally.agent.v1.Role
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @param {number} [length] Message length if known beforehand
                 * @returns {tally.agent.v1.Role & tally.agent.v1.Role.$Shape} Role
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                Role.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    let end, message, value;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.tally.agent.v1.Role();
                    while (reader.pos < end) {
                        let start = reader.pos;
                        let tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        let wireType = tag & 7;
                        switch (tag >>>= 3) {
                        case 1: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.role = value;
                                else
                                    delete message.role;
                                continue;
                            }
                        case 2: {
                                if (wireType !== 2)
                                    break;
                                if (!(message.evidence && message.evidence.length))
                                    message.evidence = [];
                                message.evidence.push(reader.stringVerify());
                                continue;
                            }
                        }
                        reader.skipType(wireType, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };

                /**
                 * Decodes a Role message from the specified reader or buffer, length delimited.
                 * @function decodeDelimited
                 * @memberof tally.agent.v1.Role
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @returns {tally.agent.v1.Role & tally.agent.v1.Role.$Shape} Role
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                Role.decodeDelimited = function(reader) {
                    if (!(reader instanceof $Reader))
                        reader = new $Reader(reader);
                    return this.decode(reader, reader.size());
                };

                /**
                 * Verifies a Role message.
                 * @function verify
                 * @memberof tally.agent.v1.Role
                 * @static
                 * @param {Object.<string,*>} message Plain object to verify
                 * @returns {string|null} `null` if valid, otherwise the reason why it is not
                 */
                Role.verify = function (message, _depth) {
                    if (typeof message !== "object" || message === null)
                        return "object expected";
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        return "max depth exceeded";
                    if (message.role != null && $Object.hasOwnProperty.call(message, "role"))
                        if (!$util.isString(message.role))
                            return "role: string expected";
                    if (message.evidence != null && $Object.hasOwnProperty.call(message, "evidence")) {
                        if (!$Array.isArray(message.evidence))
                            return "evidence: array expected";
                        for (let i = 0; i < message.evidence.length; ++i)
                            if (!$util.isString(message.evidence[i]))
                                return "evidence: string[] expected";
                    }
                    return null;
                };

                /**
                 * Creates a Role message from a plain object. Also converts values to their respective internal types.
                 * @function fromObject
                 * @memberof tally.agent.v1.Role
                 * @static
                 * @param {Object.<string,*>} object Plain object
                 * @returns {tally.agent.v1.Role} Role
                 */
                Role.fromObject = function (object, _depth) {
                    if (object instanceof $root.tally.agent.v1.Role)
                        return object;
                    if (!$util.isObject(object))
                        throw $TypeError(".tally.agent.v1.Role: object expected");
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let message = new $root.tally.agent.v1.Role();
                    if (object.role != null)
                        if (typeof object.role !== "string" || object.role.length)
                            message.role = $String(object.role);
                    if (object.evidence) {
                        if (!$Array.isArray(object.evidence))
                            throw $TypeError(".tally.agent.v1.Role.evidence: array expected");
                        message.evidence = $Array(object.evidence.length);
                        for (let i = 0; i < object.evidence.length; ++i)
                            message.evidence[i] = $String(object.evidence[i]);
                    }
                    return message;
                };

                /**
                 * Creates a plain object from a Role message. Also converts values to other types if specified.
                 * @function toObject
                 * @memberof tally.agent.v1.Role
                 * @static
                 * @param {tally.agent.v1.Role} message Role
                 * @param {$protobuf.IConversionOptions} [options] Conversion options
                 * @returns {Object.<string,*>} Plain object
                 */
                Role.toObject = function (message, options, _depth) {
                    if (!options)
                        options = {};
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let object = {};
                    if (options.arrays || options.defaults)
                        object.evidence = [];
                    if (options.defaults)
                        object.role = "";
                    if (message.role != null && $Object.hasOwnProperty.call(message, "role"))
                        object.role = message.role;
                    if (message.evidence && message.evidence.length) {
                        object.evidence = $Array(message.evidence.length);
                        for (let j = 0; j < message.evidence.length; ++j)
                            object.evidence[j] = message.evidence[j];
                    }
                    return object;
                };

                /**
                 * Converts this Role to JSON.
                 * @function toJSON
                 * @memberof tally.agent.v1.Role
                 * @instance
                 * @returns {Object.<string,*>} JSON object
                 */
                Role.prototype.toJSON = function() {
                    return Role.toObject(this, $protobuf.util.toJSONOptions);
                };

                /**
                 * Gets the type url for Role
                 * @function getTypeUrl
                 * @memberof tally.agent.v1.Role
                 * @static
                 * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns {string} The type url
                 */
                Role.getTypeUrl = function(prefix) {
                    if (prefix === $undefined)
                        prefix = "type.googleapis.com";
                    return prefix + "/tally.agent.v1.Role";
                };

                return Role;
            })();

            v1.Hardware = (function() {

                /**
                 * Properties of a Hardware.
                 * @typedef {Object} tally.agent.v1.Hardware.$Properties
                 * @property {string|null} [manufacturer] Hardware manufacturer
                 * @property {string|null} [model] Hardware model
                 * @property {string|null} [cpuModel] Hardware cpuModel
                 * @property {number|null} [cpuCores] Hardware cpuCores
                 * @property {number|null} [memoryBytes] Hardware memoryBytes
                 * @property {string|null} [chassis] Hardware chassis
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of a Hardware.
                 * @memberof tally.agent.v1
                 * @interface IHardware
                 * @augments tally.agent.v1.Hardware.$Properties
                 * @deprecated Use tally.agent.v1.Hardware.$Properties instead.
                 */

                /**
                 * Shape of a Hardware.
                 * @typedef {tally.agent.v1.Hardware.$Properties} tally.agent.v1.Hardware.$Shape
                 */

                /**
                 * Constructs a new Hardware.
                 * @memberof tally.agent.v1
                 * @classdesc Represents a Hardware.
                 * @constructor
                 * @param {tally.agent.v1.Hardware.$Properties=} [properties] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const Hardware = function (properties) {
                    if (properties)
                        for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };

                /**
                 * Hardware manufacturer.
                 * @member {string} manufacturer
                 * @memberof tally.agent.v1.Hardware
                 * @instance
                 */
                Hardware.prototype.manufacturer = "";

                /**
                 * Hardware model.
                 * @member {string} model
                 * @memberof tally.agent.v1.Hardware
                 * @instance
                 */
                Hardware.prototype.model = "";

                /**
                 * Hardware cpuModel.
                 * @member {string} cpuModel
                 * @memberof tally.agent.v1.Hardware
                 * @instance
                 */
                Hardware.prototype.cpuModel = "";

                /**
                 * Hardware cpuCores.
                 * @member {number} cpuCores
                 * @memberof tally.agent.v1.Hardware
                 * @instance
                 */
                Hardware.prototype.cpuCores = 0;

                /**
                 * Hardware memoryBytes.
                 * @member {number} memoryBytes
                 * @memberof tally.agent.v1.Hardware
                 * @instance
                 */
                Hardware.prototype.memoryBytes = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

                /**
                 * Hardware chassis.
                 * @member {string} chassis
                 * @memberof tally.agent.v1.Hardware
                 * @instance
                 */
                Hardware.prototype.chassis = "";

                /**
                 * Creates a new Hardware instance using the specified properties.
                 * @function create
                 * @memberof tally.agent.v1.Hardware
                 * @static
                 * @param {tally.agent.v1.Hardware.$Properties=} [properties] Properties to set
                 * @returns {tally.agent.v1.Hardware} Hardware instance
                 * @type {{
                 *   (properties: tally.agent.v1.Hardware.$Shape): tally.agent.v1.Hardware & tally.agent.v1.Hardware.$Shape;
                 *   (properties?: tally.agent.v1.Hardware.$Properties): tally.agent.v1.Hardware;
                 * }}
                 */
                Hardware.create = function(properties) {
                    return new Hardware(properties);
                };

                /**
                 * Encodes the specified Hardware message. Does not implicitly {@link tally.agent.v1.Hardware.verify|verify} messages.
                 * @function encode
                 * @memberof tally.agent.v1.Hardware
                 * @static
                 * @param {tally.agent.v1.Hardware.$Properties} message Hardware message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                Hardware.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.manufacturer != null && $Object.hasOwnProperty.call(message, "manufacturer") && message.manufacturer !== "")
                        writer.uint32(/* id 1, wireType 2 =*/10).string(message.manufacturer);
                    if (message.model != null && $Object.hasOwnProperty.call(message, "model") && message.model !== "")
                        writer.uint32(/* id 2, wireType 2 =*/18).string(message.model);
                    if (message.cpuModel != null && $Object.hasOwnProperty.call(message, "cpuModel") && message.cpuModel !== "")
                        writer.uint32(/* id 3, wireType 2 =*/26).string(message.cpuModel);
                    if (message.cpuCores != null && $Object.hasOwnProperty.call(message, "cpuCores") && message.cpuCores !== 0)
                        writer.uint32(/* id 4, wireType 0 =*/32).uint32(message.cpuCores);
                    if (message.memoryBytes != null && $Object.hasOwnProperty.call(message, "memoryBytes") && (typeof message.memoryBytes === "object" ? message.memoryBytes.low || message.memoryBytes.high : message.memoryBytes !== 0))
                        writer.uint32(/* id 5, wireType 0 =*/40).uint64(message.memoryBytes);
                    if (message.chassis != null && $Object.hasOwnProperty.call(message, "chassis") && message.chassis !== "")
                        writer.uint32(/* id 6, wireType 2 =*/50).string(message.chassis);
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (let i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };

                /**
                 * Encodes the specified Hardware message, length delimited. Does not implicitly {@link tally.agent.v1.Hardware.verify|verify} messages.
                 * @function encodeDelimited
                 * @memberof tally.agent.v1.Hardware
                 * @static
                 * @param {tally.agent.v1.Hardware.$Properties} message Hardware message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                Hardware.encodeDelimited = function(message, writer) {
                    return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
                };

                /**
                 * Decodes a Hardware message from the specified reader or buffer.
                 * @function decode
                 * @memberof tally.agent.v1.Hardware
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @param {number} [length] Message length if known beforehand
                 * @returns {tally.agent.v1.Hardware & tally.agent.v1.Hardware.$Shape} Hardware
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                Hardware.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    let end, message, value;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.tally.agent.v1.Hardware();
                    while (reader.pos < end) {
                        let start = reader.pos;
                        let tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        let wireType = tag & 7;
                        switch (tag >>>= 3) {
                        case 1: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.manufacturer = value;
                                else
                                    delete message.manufacturer;
                                continue;
                            }
                        case 2: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.model = value;
                                else
                                    delete message.model;
                                continue;
                            }
                        case 3: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.cpuModel = value;
                                else
                                    delete message.cpuModel;
                                continue;
                            }
                        case 4: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.uint32())
                                    message.cpuCores = value;
                                else
                                    delete message.cpuCores;
                                continue;
                            }
                        case 5: {
                                if (wireType !== 0)
                                    break;
                                if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                    message.memoryBytes = value;
                                else
                                    delete message.memoryBytes;
                                continue;
                            }
                        case 6: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.chassis = value;
                                else
                                    delete message.chassis;
                                continue;
                            }
                        }
                        reader.skipType(wireType, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };

                /**
                 * Decodes a Hardware message from the specified reader or buffer, length delimited.
                 * @function decodeDelimited
                 * @memberof tally.agent.v1.Hardware
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @returns {tally.agent.v1.Hardware & tally.agent.v1.Hardware.$Shape} Hardware
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                Hardware.decodeDelimited = function(reader) {
                    if (!(reader instanceof $Reader))
                        reader = new $Reader(reader);
                    return this.decode(reader, reader.size());
                };

                /**
                 * Verifies a Hardware message.
                 * @function verify
                 * @memberof tally.agent.v1.Hardware
                 * @static
                 * @param {Object.<string,*>} message Plain object to verify
                 * @returns {string|null} `null` if valid, otherwise the reason why it is not
                 */
                Hardware.verify = function (message, _depth) {
                    if (typeof message !== "object" || message === null)
                        return "object expected";
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        return "max depth exceeded";
                    if (message.manufacturer != null && $Object.hasOwnProperty.call(message, "manufacturer"))
                        if (!$util.isString(message.manufacturer))
                            return "manufacturer: string expected";
                    if (message.model != null && $Object.hasOwnProperty.call(message, "model"))
                        if (!$util.isString(message.model))
                            return "model: string expected";
                    if (message.cpuModel != null && $Object.hasOwnProperty.call(message, "cpuModel"))
                        if (!$util.isString(message.cpuModel))
                            return "cpuModel: string expected";
                    if (message.cpuCores != null && $Object.hasOwnProperty.call(message, "cpuCores"))
                        if (!$util.isInteger(message.cpuCores))
                            return "cpuCores: integer expected";
                    if (message.memoryBytes != null && $Object.hasOwnProperty.call(message, "memoryBytes"))
                        if (!$util.isInteger(message.memoryBytes) && !(message.memoryBytes && $util.isInteger(message.memoryBytes.low) && $util.isInteger(message.memoryBytes.high)))
                            return "memoryBytes: integer|Long expected";
                    if (message.chassis != null && $Object.hasOwnProperty.call(message, "chassis"))
                        if (!$util.isString(message.chassis))
                            return "chassis: string expected";
                    return null;
                };

                /**
                 * Creates a Hardware message from a plain object. Also converts values to their respective internal types.
                 * @function fromObject
                 * @memberof tally.agent.v1.Hardware
                 * @static
                 * @param {Object.<string,*>} object Plain object
                 * @returns {tally.agent.v1.Hardware} Hardware
                 */
                Hardware.fromObject = function (object, _depth) {
                    if (object instanceof $root.tally.agent.v1.Hardware)
                        return object;
                    if (!$util.isObject(object))
                        throw $TypeError(".tally.agent.v1.Hardware: object expected");
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let message = new $root.tally.agent.v1.Hardware();
                    if (object.manufacturer != null)
                        if (typeof object.manufacturer !== "string" || object.manufacturer.length)
                            message.manufacturer = $String(object.manufacturer);
                    if (object.model != null)
                        if (typeof object.model !== "string" || object.model.length)
                            message.model = $String(object.model);
                    if (object.cpuModel != null)
                        if (typeof object.cpuModel !== "string" || object.cpuModel.length)
                            message.cpuModel = $String(object.cpuModel);
                    if (object.cpuCores != null)
                        if ($Number(object.cpuCores) !== 0)
                            message.cpuCores = object.cpuCores >>> 0;
                    if (object.memoryBytes != null)
                        if (typeof object.memoryBytes === "object" ? object.memoryBytes.low || object.memoryBytes.high : $Number(object.memoryBytes) !== 0)
                            if ($util.Long)
                                message.memoryBytes = $util.Long.fromValue(object.memoryBytes, true);
                            else if (typeof object.memoryBytes === "string")
                                message.memoryBytes = $parseInt(object.memoryBytes, 10);
                            else if (typeof object.memoryBytes === "number")
                                message.memoryBytes = object.memoryBytes;
                            else if (typeof object.memoryBytes === "object")
                                message.memoryBytes = new $util.LongBits(object.memoryBytes.low >>> 0, object.memoryBytes.high >>> 0).toNumber(true);
                    if (object.chassis != null)
                        if (typeof object.chassis !== "string" || object.chassis.length)
                            message.chassis = $String(object.chassis);
                    return message;
                };

                /**
                 * Creates a plain object from a Hardware message. Also converts values to other types if specified.
                 * @function toObject
                 * @memberof tally.agent.v1.Hardware
                 * @static
                 * @param {tally.agent.v1.Hardware} message Hardware
                 * @param {$protobuf.IConversionOptions} [options] Conversion options
                 * @returns {Object.<string,*>} Plain object
                 */
                Hardware.toObject = function (message, options, _depth) {
                    if (!options)
                        options = {};
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let object = {};
                    if (options.defaults) {
                        object.manufacturer = "";
                        object.model = "";
                        object.cpuModel = "";
                        object.cpuCores = 0;
                        if ($util.Long) {
                            let long = new $util.Long(0, 0, true);
                            object.memoryBytes = options.longs === $String ? long.toString() : options.longs === $Number ? long.toNumber() : typeof $BigInt !== "undefined" && options.longs === $BigInt ? long.toBigInt() : long;
                        } else
                            object.memoryBytes = options.longs === $String ? "0" : typeof $BigInt !== "undefined" && options.longs === $BigInt ? $BigInt("0") : 0;
                        object.chassis = "";
                    }
                    if (message.manufacturer != null && $Object.hasOwnProperty.call(message, "manufacturer"))
                        object.manufacturer = message.manufacturer;
                    if (message.model != null && $Object.hasOwnProperty.call(message, "model"))
                        object.model = message.model;
                    if (message.cpuModel != null && $Object.hasOwnProperty.call(message, "cpuModel"))
                        object.cpuModel = message.cpuModel;
                    if (message.cpuCores != null && $Object.hasOwnProperty.call(message, "cpuCores"))
                        object.cpuCores = message.cpuCores;
                    if (message.memoryBytes != null && $Object.hasOwnProperty.call(message, "memoryBytes"))
                        if (typeof $BigInt !== "undefined" && options.longs === $BigInt)
                            object.memoryBytes = typeof message.memoryBytes === "number" ? $BigInt(message.memoryBytes) : $util.Long.fromBits(message.memoryBytes.low >>> 0, message.memoryBytes.high >>> 0, true).toBigInt();
                        else if (typeof message.memoryBytes === "number")
                            object.memoryBytes = options.longs === $String ? $String(message.memoryBytes) : message.memoryBytes;
                        else
                            object.memoryBytes = options.longs === $String ? $util.Long.prototype.toString.call(message.memoryBytes) : options.longs === $Number ? new $util.LongBits(message.memoryBytes.low >>> 0, message.memoryBytes.high >>> 0).toNumber(true) : message.memoryBytes;
                    if (message.chassis != null && $Object.hasOwnProperty.call(message, "chassis"))
                        object.chassis = message.chassis;
                    return object;
                };

                /**
                 * Converts this Hardware to JSON.
                 * @function toJSON
                 * @memberof tally.agent.v1.Hardware
                 * @instance
                 * @returns {Object.<string,*>} JSON object
                 */
                Hardware.prototype.toJSON = function() {
                    return Hardware.toObject(this, $protobuf.util.toJSONOptions);
                };

                /**
                 * Gets the type url for Hardware
                 * @function getTypeUrl
                 * @memberof tally.agent.v1.Hardware
                 * @static
                 * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns {string} The type url
                 */
                Hardware.getTypeUrl = function(prefix) {
                    if (prefix === $undefined)
                        prefix = "type.googleapis.com";
                    return prefix + "/tally.agent.v1.Hardware";
                };

                return Hardware;
            })();

            v1.ModuleState = (function() {

                /**
                 * Properties of a ModuleState.
                 * @typedef {Object} tally.agent.v1.ModuleState.$Properties
                 * @property {string|null} [name] ModuleState name
                 * @property {boolean|null} [installed] ModuleState installed
                 * @property {string|null} [tier] ModuleState tier
                 * @property {number|null} [changedAtMs] ModuleState changedAtMs
                 * @property {string|null} [source] ModuleState source
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of a ModuleState.
                 * @memberof tally.agent.v1
                 * @interface IModuleState
                 * @augments tally.agent.v1.ModuleState.$Properties
                 * @deprecated Use tally.agent.v1.ModuleState.$Properties instead.
                 */

                /**
                 * Shape of a ModuleState.
                 * @typedef {tally.agent.v1.ModuleState.$Properties} tally.agent.v1.ModuleState.$Shape
                 */

                /**
                 * Constructs a new ModuleState.
                 * @memberof tally.agent.v1
                 * @classdesc Represents a ModuleState.
                 * @constructor
                 * @param {tally.agent.v1.ModuleState.$Properties=} [properties] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const ModuleState = function (properties) {
                    if (properties)
                        for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };

                /**
                 * ModuleState name.
                 * @member {string} name
                 * @memberof tally.agent.v1.ModuleState
                 * @instance
                 */
                ModuleState.prototype.name = "";

                /**
                 * ModuleState installed.
                 * @member {boolean} installed
                 * @memberof tally.agent.v1.ModuleState
                 * @instance
                 */
                ModuleState.prototype.installed = false;

                /**
                 * ModuleState tier.
                 * @member {string} tier
                 * @memberof tally.agent.v1.ModuleState
                 * @instance
                 */
                ModuleState.prototype.tier = "";

                /**
                 * ModuleState changedAtMs.
                 * @member {number} changedAtMs
                 * @memberof tally.agent.v1.ModuleState
                 * @instance
                 */
                ModuleState.prototype.changedAtMs = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

                /**
                 * ModuleState source.
                 * @member {string} source
                 * @memberof tally.agent.v1.ModuleState
                 * @instance
                 */
                ModuleState.prototype.source = "";

                /**
                 * Creates a new ModuleState instance using the specified properties.
                 * @function create
                 * @memberof tally.agent.v1.ModuleState
                 * @static
                 * @param {tally.agent.v1.ModuleState.$Properties=} [properties] Properties to set
                 * @returns {tally.agent.v1.ModuleState} ModuleState instance
                 * @type {{
                 *   (properties: tally.agent.v1.ModuleState.$Shape): tally.agent.v1.ModuleState & tally.agent.v1.ModuleState.$Shape;
                 *   (properties?: tally.agent.v1.ModuleState.$Properties): tally.agent.v1.ModuleState;
                 * }}
                 */
                ModuleState.create = function(properties) {
                    return new ModuleState(properties);
                };

                /**
                 * Encodes the specified ModuleState message. Does not implicitly {@link tally.agent.v1.ModuleState.verify|verify} messages.
                 * @function encode
                 * @memberof tally.agent.v1.ModuleState
                 * @static
                 * @param {tally.agent.v1.ModuleState.$Properties} message ModuleState message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                ModuleState.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.name != null && $Object.hasOwnProperty.call(message, "name") && message.name !== "")
                        writer.uint32(/* id 1, wireType 2 =*/10).string(message.name);
                    if (message.installed != null && $Object.hasOwnProperty.call(message, "installed") && message.installed !== false)
                        writer.uint32(/* id 2, wireType 0 =*/16).bool(message.installed);
                    if (message.tier != null && $Object.hasOwnProperty.call(message, "tier") && message.tier !== "")
                        writer.uint32(/* id 3, wireType 2 =*/26).string(message.tier);
                    if (message.changedAtMs != null && $Object.hasOwnProperty.call(message, "changedAtMs") && (typeof message.changedAtMs === "object" ? message.changedAtMs.low || message.changedAtMs.high : message.changedAtMs !== 0))
                        writer.uint32(/* id 4, wireType 0 =*/32).int64(message.changedAtMs);
                    if (message.source != null && $Object.hasOwnProperty.call(message, "source") && message.source !== "")
                        writer.uint32(/* id 5, wireType 2 =*/42).string(message.source);
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (let i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };

                /**
                 * Encodes the specified ModuleState message, length delimited. Does not implicitly {@link tally.agent.v1.ModuleState.verify|verify} messages.
                 * @function encodeDelimited
                 * @memberof tally.agent.v1.ModuleState
                 * @static
                 * @param {tally.agent.v1.ModuleState.$Properties} message ModuleState message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                ModuleState.encodeDelimited = function(message, writer) {
                    return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
                };

                /**
                 * Decodes a ModuleState message from the specified reader or buffer.
                 * @function decode
                 * @memberof tally.agent.v1.ModuleState
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @param {number} [length] Message length if known beforehand
                 * @returns {tally.agent.v1.ModuleState & tally.agent.v1.ModuleState.$Shape} ModuleState
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                ModuleState.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    let end, message, value;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.tally.agent.v1.ModuleState();
                    while (reader.pos < end) {
                        let start = reader.pos;
                        let tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        let wireType = tag & 7;
                        switch (tag >>>= 3) {
                        case 1: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.name = value;
                                else
                                    delete message.name;
                                continue;
                            }
                        case 2: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.bool())
                                    message.installed = value;
                                else
                                    delete message.installed;
                                continue;
                            }
                        case 3: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.tier = value;
                                else
                                    delete message.tier;
                                continue;
                            }
                        case 4: {
                                if (wireType !== 0)
                                    break;
                                if (typeof (value = reader.int64()) === "object" ? value.low || value.high : value !== 0)
                                    message.changedAtMs = value;
                                else
                                    delete message.changedAtMs;
                                continue;
                            }
                        case 5: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.source = value;
                                else
                                    delete message.source;
                                continue;
                            }
                        }
                        reader.skipType(wireType, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };

                /**
                 * Decodes a ModuleState message from the specified reader or buffer, length delimited.
                 * @function decodeDelimited
                 * @memberof tally.agent.v1.ModuleState
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @returns {tally.agent.v1.ModuleState & tally.agent.v1.ModuleState.$Shape} ModuleState
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                ModuleState.decodeDelimited = function(reader) {
                    if (!(reader instanceof $Reader))
                        reader = new $Reader(reader);
                    return this.decode(reader, reader.size());
                };

                /**
                 * Verifies a ModuleState message.
                 * @function verify
                 * @memberof tally.agent.v1.ModuleState
                 * @static
                 * @param {Object.<string,*>} message Plain object to verify
                 * @returns {string|null} `null` if valid, otherwise the reason why it is not
                 */
                ModuleState.verify = function (message, _depth) {
                    if (typeof message !== "object" || message === null)
                        return "object expected";
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        return "max depth exceeded";
                    if (message.name != null && $Object.hasOwnProperty.call(message, "name"))
                        if (!$util.isString(message.name))
                            return "name: string expected";
                    if (message.installed != null && $Object.hasOwnProperty.call(message, "installed"))
                        if (typeof message.installed !== "boolean")
                            return "installed: boolean expected";
                    if (message.tier != null && $Object.hasOwnProperty.call(message, "tier"))
                        if (!$util.isString(message.tier))
                            return "tier: string expected";
                    if (message.changedAtMs != null && $Object.hasOwnProperty.call(message, "changedAtMs"))
                        if (!$util.isInteger(message.changedAtMs) && !(message.changedAtMs && $util.isInteger(message.changedAtMs.low) && $util.isInteger(message.changedAtMs.high)))
                            return "changedAtMs: integer|Long expected";
                    if (message.source != null && $Object.hasOwnProperty.call(message, "source"))
                        if (!$util.isString(message.source))
                            return "source: string expected";
                    return null;
                };

                /**
                 * Creates a ModuleState message from a plain object. Also converts values to their respective internal types.
                 * @function fromObject
                 * @memberof tally.agent.v1.ModuleState
                 * @static
                 * @param {Object.<string,*>} object Plain object
                 * @returns {tally.agent.v1.ModuleState} ModuleState
                 */
                ModuleState.fromObject = function (object, _depth) {
                    if (object instanceof $root.tally.agent.v1.ModuleState)
                        return object;
                    if (!$util.isObject(object))
                        throw $TypeError(".tally.agent.v1.ModuleState: object expected");
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let message = new $root.tally.agent.v1.ModuleState();
                    if (object.name != null)
                        if (typeof object.name !== "string" || object.name.length)
                            message.name = $String(object.name);
                    if (object.installed != null)
                        if (object.installed)
                            message.installed = $Boolean(object.installed);
                    if (object.tier != null)
                        if (typeof object.tier !== "string" || object.tier.length)
                            message.tier = $String(object.tier);
                    if (object.changedAtMs != null)
                        if (typeof object.changedAtMs === "object" ? object.changedAtMs.low || object.changedAtMs.high : $Number(object.changedAtMs) !== 0)
                            if ($util.Long)
                                message.changedAtMs = $util.Long.fromValue(object.changedAtMs, false);
                            else if (typeof object.changedAtMs === "string")
                                message.changedAtMs = $parseInt(object.changedAtMs, 10);
                            else if (typeof object.changedAtMs === "number")
                                message.changedAtMs = object.changedAtMs;
                            else if (typeof object.changedAtMs === "object")
                                message.changedAtMs = new $util.LongBits(object.changedAtMs.low >>> 0, object.changedAtMs.high >>> 0).toNumber();
                    if (object.source != null)
                        if (typeof object.source !== "string" || object.source.length)
                            message.source = $String(object.source);
                    return message;
                };

                /**
                 * Creates a plain object from a ModuleState message. Also converts values to other types if specified.
                 * @function toObject
                 * @memberof tally.agent.v1.ModuleState
                 * @static
                 * @param {tally.agent.v1.ModuleState} message ModuleState
                 * @param {$protobuf.IConversionOptions} [options] Conversion options
                 * @returns {Object.<string,*>} Plain object
                 */
                ModuleState.toObject = function (message, options, _depth) {
                    if (!options)
                        options = {};
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let object = {};
                    if (options.defaults) {
                        object.name = "";
                        object.installed = false;
                        object.tier = "";
                        if ($util.Long) {
                            let long = new $util.Long(0, 0, false);
                            object.changedAtMs = options.longs === $String ? long.toString() : options.longs === $Number ? long.toNumber() : typeof $BigInt !== "undefined" && options.longs === $BigInt ? long.toBigInt() : long;
                        } else
                            object.changedAtMs = options.longs === $String ? "0" : typeof $BigInt !== "undefined" && options.longs === $BigInt ? $BigInt("0") : 0;
                        object.source = "";
                    }
                    if (message.name != null && $Object.hasOwnProperty.call(message, "name"))
                        object.name = message.name;
                    if (message.installed != null && $Object.hasOwnProperty.call(message, "installed"))
                        object.installed = message.installed;
                    if (message.tier != null && $Object.hasOwnProperty.call(message, "tier"))
                        object.tier = message.tier;
                    if (message.changedAtMs != null && $Object.hasOwnProperty.call(message, "changedAtMs"))
                        if (typeof $BigInt !== "undefined" && options.longs === $BigInt)
                            object.changedAtMs = typeof message.changedAtMs === "number" ? $BigInt(message.changedAtMs) : $util.Long.fromBits(message.changedAtMs.low >>> 0, message.changedAtMs.high >>> 0, false).toBigInt();
                        else if (typeof message.changedAtMs === "number")
                            object.changedAtMs = options.longs === $String ? $String(message.changedAtMs) : message.changedAtMs;
                        else
                            object.changedAtMs = options.longs === $String ? $util.Long.prototype.toString.call(message.changedAtMs) : options.longs === $Number ? new $util.LongBits(message.changedAtMs.low >>> 0, message.changedAtMs.high >>> 0).toNumber() : message.changedAtMs;
                    if (message.source != null && $Object.hasOwnProperty.call(message, "source"))
                        object.source = message.source;
                    return object;
                };

                /**
                 * Converts this ModuleState to JSON.
                 * @function toJSON
                 * @memberof tally.agent.v1.ModuleState
                 * @instance
                 * @returns {Object.<string,*>} JSON object
                 */
                ModuleState.prototype.toJSON = function() {
                    return ModuleState.toObject(this, $protobuf.util.toJSONOptions);
                };

                /**
                 * Gets the type url for ModuleState
                 * @function getTypeUrl
                 * @memberof tally.agent.v1.ModuleState
                 * @static
                 * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns {string} The type url
                 */
                ModuleState.getTypeUrl = function(prefix) {
                    if (prefix === $undefined)
                        prefix = "type.googleapis.com";
                    return prefix + "/tally.agent.v1.ModuleState";
                };

                return ModuleState;
            })();

            v1.UserBinding = (function() {

                /**
                 * Properties of a UserBinding.
                 * @typedef {Object} tally.agent.v1.UserBinding.$Properties
                 * @property {string|null} [userId] UserBinding userId
                 * @property {boolean|null} [primary] UserBinding primary
                 * @property {number|null} [lastSignInMs] UserBinding lastSignInMs
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of a UserBinding.
                 * @memberof tally.agent.v1
                 * @interface IUserBinding
                 * @augments tally.agent.v1.UserBinding.$Properties
                 * @deprecated Use tally.agent.v1.UserBinding.$Properties instead.
                 */

                /**
                 * Shape of a UserBinding.
                 * @typedef {tally.agent.v1.UserBinding.$Properties} tally.agent.v1.UserBinding.$Shape
                 */

                /**
                 * Constructs a new UserBinding.
                 * @memberof tally.agent.v1
                 * @classdesc Represents a UserBinding.
                 * @constructor
                 * @param {tally.agent.v1.UserBinding.$Properties=} [properties] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const UserBinding = function (properties) {
                    if (properties)
                        for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };

                /**
                 * UserBinding userId.
                 * @member {string} userId
                 * @memberof tally.agent.v1.UserBinding
                 * @instance
                 */
                UserBinding.prototype.userId = "";

                /**
                 * UserBinding primary.
                 * @member {boolean} primary
                 * @memberof tally.agent.v1.UserBinding
                 * @instance
                 */
                UserBinding.prototype.primary = false;

                /**
                 * UserBinding lastSignInMs.
                 * @member {number} lastSignInMs
                 * @memberof tally.agent.v1.UserBinding
                 * @instance
                 */
                UserBinding.prototype.lastSignInMs = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

                /**
                 * Creates a new UserBinding instance using the specified properties.
                 * @function create
                 * @memberof tally.agent.v1.UserBinding
                 * @static
                 * @param {tally.agent.v1.UserBinding.$Properties=} [properties] Properties to set
                 * @returns {tally.agent.v1.UserBinding} UserBinding instance
                 * @type {{
                 *   (properties: tally.agent.v1.UserBinding.$Shape): tally.agent.v1.UserBinding & tally.agent.v1.UserBinding.$Shape;
                 *   (properties?: tally.agent.v1.UserBinding.$Properties): tally.agent.v1.UserBinding;
                 * }}
                 */
                UserBinding.create = function(properties) {
                    return new UserBinding(properties);
                };

                /**
                 * Encodes the specified UserBinding message. Does not implicitly {@link tally.agent.v1.UserBinding.verify|verify} messages.
                 * @function encode
                 * @memberof tally.agent.v1.UserBinding
                 * @static
                 * @param {tally.agent.v1.UserBinding.$Properties} message UserBinding message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                UserBinding.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.userId != null && $Object.hasOwnProperty.call(message, "userId") && message.userId !== "")
                        writer.uint32(/* id 1, wireType 2 =*/10).string(message.userId);
                    if (message.primary != null && $Object.hasOwnProperty.call(message, "primary") && message.primary !== false)
                        writer.uint32(/* id 2, wireType 0 =*/16).bool(message.primary);
                    if (message.lastSignInMs != null && $Object.hasOwnProperty.call(message, "lastSignInMs") && (typeof message.lastSignInMs === "object" ? message.lastSignInMs.low || message.lastSignInMs.high : message.lastSignInMs !== 0))
                        writer.uint32(/* id 3, wireType 0 =*/24).int64(message.lastSignInMs);
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (let i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };

                /**
                 * Encodes the specified UserBinding message, length delimited. Does not implicitly {@link tally.agent.v1.UserBinding.verify|verify} messages.
                 * @function encodeDelimited
                 * @memberof tally.agent.v1.UserBinding
                 * @static
                 * @param {tally.agent.v1.UserBinding.$Properties} message UserBinding message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                UserBinding.encodeDelimited = function(message, writer) {
                    return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
                };

                /**
                 * Decodes a UserBinding message from the specified reader or buffer.
                 * @function decode
                 * @memberof tally.agent.v1.UserBinding
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @param {number} [length] Message length if known beforehand
                 * @returns {tally.agent.v1.UserBinding & tally.agent.v1.UserBinding.$Shape} UserBinding
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                UserBinding.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    let end, message, value;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.tally.agent.v1.UserBinding();
                    while (reader.pos < end) {
                        let start = reader.pos;
                        let tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        let wireType = tag & 7;
                        switch (tag >>>= 3) {
                        case 1: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.userId = value;
                                else
                                    delete message.userId;
                                continue;
                            }
                        case 2: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.bool())
                                    message.primary = value;
                                else
                                    delete message.primary;
                                continue;
                            }
                        case 3: {
                                if (wireType !== 0)
                                    break;
                                if (typeof (value = reader.int64()) === "object" ? value.low || value.high : value !== 0)
                                    message.lastSignInMs = value;
                                else
                                    delete message.lastSignInMs;
                                continue;
                            }
                        }
                        reader.skipType(wireType, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };

                /**
                 * Decodes a UserBinding message from the specified reader or buffer, length delimited.
                 * @function decodeDelimited
                 * @memberof tally.agent.v1.UserBinding
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @returns {tally.agent.v1.UserBinding & tally.agent.v1.UserBinding.$Shape} UserBinding
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                UserBinding.decodeDelimited = function(reader) {
                    if (!(reader instanceof $Reader))
                        reader = new $Reader(reader);
                    return this.decode(reader, reader.size());
                };

                /**
                 * Verifies a UserBinding message.
                 * @function verify
                 * @memberof tally.agent.v1.UserBinding
                 * @static
                 * @param {Object.<string,*>} message Plain object to verify
                 * @returns {string|null} `null` if valid, otherwise the reason why it is not
                 */
                UserBinding.verify = function (message, _depth) {
                    if (typeof message !== "object" || message === null)
                        return "object expected";
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        return "max depth exceeded";
                    if (message.userId != null && $Object.hasOwnProperty.call(message, "userId"))
                        if (!$util.isString(message.userId))
                            return "userId: string expected";
                    if (message.primary != null && $Object.hasOwnProperty.call(message, "primary"))
                        if (typeof message.primary !== "boolean")
                            return "primary: boolean expected";
                    if (message.lastSignInMs != null && $Object.hasOwnProperty.call(message, "lastSignInMs"))
                        if (!$util.isInteger(message.lastSignInMs) && !(message.lastSignInMs && $util.isInteger(message.lastSignInMs.low) && $util.isInteger(message.lastSignInMs.high)))
                            return "lastSignInMs: integer|Long expected";
                    return null;
                };

                /**
                 * Creates a UserBinding message from a plain object. Also converts values to their respective internal types.
                 * @function fromObject
                 * @memberof tally.agent.v1.UserBinding
                 * @static
                 * @param {Object.<string,*>} object Plain object
                 * @returns {tally.agent.v1.UserBinding} UserBinding
                 */
                UserBinding.fromObject = function (object, _depth) {
                    if (object instanceof $root.tally.agent.v1.UserBinding)
                        return object;
                    if (!$util.isObject(object))
                        throw $TypeError(".tally.agent.v1.UserBinding: object expected");
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let message = new $root.tally.agent.v1.UserBinding();
                    if (object.userId != null)
                        if (typeof object.userId !== "string" || object.userId.length)
                            message.userId = $String(object.userId);
                    if (object.primary != null)
                        if (object.primary)
                            message.primary = $Boolean(object.primary);
                    if (object.lastSignInMs != null)
                        if (typeof object.lastSignInMs === "object" ? object.lastSignInMs.low || object.lastSignInMs.high : $Number(object.lastSignInMs) !== 0)
                            if ($util.Long)
                                message.lastSignInMs = $util.Long.fromValue(object.lastSignInMs, false);
                            else if (typeof object.lastSignInMs === "string")
                                message.lastSignInMs = $parseInt(object.lastSignInMs, 10);
                            else if (typeof object.lastSignInMs === "number")
                                message.lastSignInMs = object.lastSignInMs;
                            else if (typeof object.lastSignInMs === "object")
                                message.lastSignInMs = new $util.LongBits(object.lastSignInMs.low >>> 0, object.lastSignInMs.high >>> 0).toNumber();
                    return message;
                };

                /**
                 * Creates a plain object from a UserBinding message. Also converts values to other types if specified.
                 * @function toObject
                 * @memberof tally.agent.v1.UserBinding
                 * @static
                 * @param {tally.agent.v1.UserBinding} message UserBinding
                 * @param {$protobuf.IConversionOptions} [options] Conversion options
                 * @returns {Object.<string,*>} Plain object
                 */
                UserBinding.toObject = function (message, options, _depth) {
                    if (!options)
                        options = {};
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let object = {};
                    if (options.defaults) {
                        object.userId = "";
                        object.primary = false;
                        if ($util.Long) {
                            let long = new $util.Long(0, 0, false);
                            object.lastSignInMs = options.longs === $String ? long.toString() : options.longs === $Number ? long.toNumber() : typeof $BigInt !== "undefined" && options.longs === $BigInt ? long.toBigInt() : long;
                        } else
                            object.lastSignInMs = options.longs === $String ? "0" : typeof $BigInt !== "undefined" && options.longs === $BigInt ? $BigInt("0") : 0;
                    }
                    if (message.userId != null && $Object.hasOwnProperty.call(message, "userId"))
                        object.userId = message.userId;
                    if (message.primary != null && $Object.hasOwnProperty.call(message, "primary"))
                        object.primary = message.primary;
                    if (message.lastSignInMs != null && $Object.hasOwnProperty.call(message, "lastSignInMs"))
                        if (typeof $BigInt !== "undefined" && options.longs === $BigInt)
                            object.lastSignInMs = typeof message.lastSignInMs === "number" ? $BigInt(message.lastSignInMs) : $util.Long.fromBits(message.lastSignInMs.low >>> 0, message.lastSignInMs.high >>> 0, false).toBigInt();
                        else if (typeof message.lastSignInMs === "number")
                            object.lastSignInMs = options.longs === $String ? $String(message.lastSignInMs) : message.lastSignInMs;
                        else
                            object.lastSignInMs = options.longs === $String ? $util.Long.prototype.toString.call(message.lastSignInMs) : options.longs === $Number ? new $util.LongBits(message.lastSignInMs.low >>> 0, message.lastSignInMs.high >>> 0).toNumber() : message.lastSignInMs;
                    return object;
                };

                /**
                 * Converts this UserBinding to JSON.
                 * @function toJSON
                 * @memberof tally.agent.v1.UserBinding
                 * @instance
                 * @returns {Object.<string,*>} JSON object
                 */
                UserBinding.prototype.toJSON = function() {
                    return UserBinding.toObject(this, $protobuf.util.toJSONOptions);
                };

                /**
                 * Gets the type url for UserBinding
                 * @function getTypeUrl
                 * @memberof tally.agent.v1.UserBinding
                 * @static
                 * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns {string} The type url
                 */
                UserBinding.getTypeUrl = function(prefix) {
                    if (prefix === $undefined)
                        prefix = "type.googleapis.com";
                    return prefix + "/tally.agent.v1.UserBinding";
                };

                return UserBinding;
            })();

            v1.CollectorEnvelope = (function() {

                /**
                 * Properties of a CollectorEnvelope.
                 * @typedef {Object} tally.agent.v1.CollectorEnvelope.$Properties
                 * @property {tally.agent.v1.Welcome.$Properties|null} [welcome] CollectorEnvelope welcome
                 * @property {tally.agent.v1.Ack.$Properties|null} [ack] CollectorEnvelope ack
                 * @property {tally.agent.v1.Error.$Properties|null} [error] CollectorEnvelope error
                 * @property {"welcome"|"ack"|"error"} [body] CollectorEnvelope body
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of a CollectorEnvelope.
                 * @memberof tally.agent.v1
                 * @interface ICollectorEnvelope
                 * @augments tally.agent.v1.CollectorEnvelope.$Properties
                 * @deprecated Use tally.agent.v1.CollectorEnvelope.$Properties instead.
                 */

                /**
                 * Narrowed shape of a CollectorEnvelope.
                 * @typedef {{
                 *   welcome?: tally.agent.v1.Welcome.$Shape|null;
                 *   ack?: tally.agent.v1.Ack.$Shape|null;
                 *   error?: tally.agent.v1.Error.$Shape|null;
                 *   $unknowns?: Array.<Uint8Array>;
                 * } & (
                 *   ({ body?: undefined; welcome?: null; ack?: null; error?: null }|{ body?: "welcome"; welcome: tally.agent.v1.Welcome.$Shape; ack?: null; error?: null }|{ body?: "ack"; welcome?: null; ack: tally.agent.v1.Ack.$Shape; error?: null }|{ body?: "error"; welcome?: null; ack?: null; error: tally.agent.v1.Error.$Shape })
                 * )} tally.agent.v1.CollectorEnvelope.$Shape
                 */

                /**
                 * Constructs a new CollectorEnvelope.
                 * @memberof tally.agent.v1
                 * @classdesc Represents a CollectorEnvelope.
                 * @constructor
                 * @param {tally.agent.v1.CollectorEnvelope.$Properties=} [properties] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const CollectorEnvelope = function (properties) {
                    if (properties)
                        for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };

                /**
                 * CollectorEnvelope welcome.
                 * @member {tally.agent.v1.Welcome.$Properties|null|undefined} welcome
                 * @memberof tally.agent.v1.CollectorEnvelope
                 * @instance
                 */
                CollectorEnvelope.prototype.welcome = null;

                /**
                 * CollectorEnvelope ack.
                 * @member {tally.agent.v1.Ack.$Properties|null|undefined} ack
                 * @memberof tally.agent.v1.CollectorEnvelope
                 * @instance
                 */
                CollectorEnvelope.prototype.ack = null;

                /**
                 * CollectorEnvelope error.
                 * @member {tally.agent.v1.Error.$Properties|null|undefined} error
                 * @memberof tally.agent.v1.CollectorEnvelope
                 * @instance
                 */
                CollectorEnvelope.prototype.error = null;

                // OneOf field names bound to virtual getters and setters
                let $oneOfFields;

                /**
                 * CollectorEnvelope body.
                 * @member {"welcome"|"ack"|"error"|undefined} body
                 * @memberof tally.agent.v1.CollectorEnvelope
                 * @instance
                 */
                $Object.defineProperty(CollectorEnvelope.prototype, "body", {
                    get: $util.oneOfGetter($oneOfFields = ["welcome", "ack", "error"]),
                    set: $util.oneOfSetter($oneOfFields)
                });

                /**
                 * Creates a new CollectorEnvelope instance using the specified properties.
                 * @function create
                 * @memberof tally.agent.v1.CollectorEnvelope
                 * @static
                 * @param {tally.agent.v1.CollectorEnvelope.$Properties=} [properties] Properties to set
                 * @returns {tally.agent.v1.CollectorEnvelope} CollectorEnvelope instance
                 * @type {{
                 *   (properties: tally.agent.v1.CollectorEnvelope.$Shape): tally.agent.v1.CollectorEnvelope & tally.agent.v1.CollectorEnvelope.$Shape;
                 *   (properties?: tally.agent.v1.CollectorEnvelope.$Properties): tally.agent.v1.CollectorEnvelope;
                 * }}
                 */
                CollectorEnvelope.create = function(properties) {
                    return new CollectorEnvelope(properties);
                };

                /**
                 * Encodes the specified CollectorEnvelope message. Does not implicitly {@link tally.agent.v1.CollectorEnvelope.verify|verify} messages.
                 * @function encode
                 * @memberof tally.agent.v1.CollectorEnvelope
                 * @static
                 * @param {tally.agent.v1.CollectorEnvelope.$Properties} message CollectorEnvelope message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                CollectorEnvelope.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.welcome != null && $Object.hasOwnProperty.call(message, "welcome"))
                        $root.tally.agent.v1.Welcome.encode(message.welcome, writer.uint32(/* id 1, wireType 2 =*/10).fork(), _depth + 1).ldelim();
                    if (message.ack != null && $Object.hasOwnProperty.call(message, "ack"))
                        $root.tally.agent.v1.Ack.encode(message.ack, writer.uint32(/* id 2, wireType 2 =*/18).fork(), _depth + 1).ldelim();
                    if (message.error != null && $Object.hasOwnProperty.call(message, "error"))
                        $root.tally.agent.v1.Error.encode(message.error, writer.uint32(/* id 3, wireType 2 =*/26).fork(), _depth + 1).ldelim();
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (let i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };

                /**
                 * Encodes the specified CollectorEnvelope message, length delimited. Does not implicitly {@link tally.agent.v1.CollectorEnvelope.verify|verify} messages.
                 * @function encodeDelimited
                 * @memberof tally.agent.v1.CollectorEnvelope
                 * @static
                 * @param {tally.agent.v1.CollectorEnvelope.$Properties} message CollectorEnvelope message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                CollectorEnvelope.encodeDelimited = function(message, writer) {
                    return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
                };

                /**
                 * Decodes a CollectorEnvelope message from the specified reader or buffer.
                 * @function decode
                 * @memberof tally.agent.v1.CollectorEnvelope
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @param {number} [length] Message length if known beforehand
                 * @returns {tally.agent.v1.CollectorEnvelope & tally.agent.v1.CollectorEnvelope.$Shape} CollectorEnvelope
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                CollectorEnvelope.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    let end, message;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.tally.agent.v1.CollectorEnvelope();
                    while (reader.pos < end) {
                        let start = reader.pos;
                        let tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        let wireType = tag & 7;
                        switch (tag >>>= 3) {
                        case 1: {
                                if (wireType !== 2)
                                    break;
                                message.welcome = $root.tally.agent.v1.Welcome.decode(reader, reader.size(), $undefined, _depth + 1, message.welcome);
                                message.body = "welcome";
                                continue;
                            }
                        case 2: {
                                if (wireType !== 2)
                                    break;
                                message.ack = $root.tally.agent.v1.Ack.decode(reader, reader.size(), $undefined, _depth + 1, message.ack);
                                message.body = "ack";
                                continue;
                            }
                        case 3: {
                                if (wireType !== 2)
                                    break;
                                message.error = $root.tally.agent.v1.Error.decode(reader, reader.size(), $undefined, _depth + 1, message.error);
                                message.body = "error";
                                continue;
                            }
                        }
                        reader.skipType(wireType, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };

                /**
                 * Decodes a CollectorEnvelope message from the specified reader or buffer, length delimited.
                 * @function decodeDelimited
                 * @memberof tally.agent.v1.CollectorEnvelope
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @returns {tally.agent.v1.CollectorEnvelope & tally.agent.v1.CollectorEnvelope.$Shape} CollectorEnvelope
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                CollectorEnvelope.decodeDelimited = function(reader) {
                    if (!(reader instanceof $Reader))
                        reader = new $Reader(reader);
                    return this.decode(reader, reader.size());
                };

                /**
                 * Verifies a CollectorEnvelope message.
                 * @function verify
                 * @memberof tally.agent.v1.CollectorEnvelope
                 * @static
                 * @param {Object.<string,*>} message Plain object to verify
                 * @returns {string|null} `null` if valid, otherwise the reason why it is not
                 */
                CollectorEnvelope.verify = function (message, _depth) {
                    if (typeof message !== "object" || message === null)
                        return "object expected";
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        return "max depth exceeded";
                    let properties = {};
                    if (message.welcome != null && $Object.hasOwnProperty.call(message, "welcome")) {
                        properties.body = 1;
                        {
                            let error = $root.tally.agent.v1.Welcome.verify(message.welcome, _depth + 1);
                            if (error)
                                return "welcome." + error;
                        }
                    }
                    if (message.ack != null && $Object.hasOwnProperty.call(message, "ack")) {
                        if (properties.body === 1)
                            return "body: multiple values";
                        properties.body = 1;
                        {
                            let error = $root.tally.agent.v1.Ack.verify(message.ack, _depth + 1);
                            if (error)
                                return "ack." + error;
                        }
                    }
                    if (message.error != null && $Object.hasOwnProperty.call(message, "error")) {
                        if (properties.body === 1)
                            return "body: multiple values";
                        properties.body = 1;
                        {
                            let error = $root.tally.agent.v1.Error.verify(message.error, _depth + 1);
                            if (error)
                                return "error." + error;
                        }
                    }
                    return null;
                };

                /**
                 * Creates a CollectorEnvelope message from a plain object. Also converts values to their respective internal types.
                 * @function fromObject
                 * @memberof tally.agent.v1.CollectorEnvelope
                 * @static
                 * @param {Object.<string,*>} object Plain object
                 * @returns {tally.agent.v1.CollectorEnvelope} CollectorEnvelope
                 */
                CollectorEnvelope.fromObject = function (object, _depth) {
                    if (object instanceof $root.tally.agent.v1.CollectorEnvelope)
                        return object;
                    if (!$util.isObject(object))
                        throw $TypeError(".tally.agent.v1.CollectorEnvelope: object expected");
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let message = new $root.tally.agent.v1.CollectorEnvelope();
                    if (object.welcome != null) {
                        if (!$util.isObject(object.welcome))
                            throw $TypeError(".tally.agent.v1.CollectorEnvelope.welcome: object expected");
                        message.welcome = $root.tally.agent.v1.Welcome.fromObject(object.welcome, _depth + 1);
                    }
                    if (object.ack != null) {
                        if (!$util.isObject(object.ack))
                            throw $TypeError(".tally.agent.v1.CollectorEnvelope.ack: object expected");
                        message.ack = $root.tally.agent.v1.Ack.fromObject(object.ack, _depth + 1);
                    }
                    if (object.error != null) {
                        if (!$util.isObject(object.error))
                            throw $TypeError(".tally.agent.v1.CollectorEnvelope.error: object expected");
                        message.error = $root.tally.agent.v1.Error.fromObject(object.error, _depth + 1);
                    }
                    return message;
                };

                /**
                 * Creates a plain object from a CollectorEnvelope message. Also converts values to other types if specified.
                 * @function toObject
                 * @memberof tally.agent.v1.CollectorEnvelope
                 * @static
                 * @param {tally.agent.v1.CollectorEnvelope} message CollectorEnvelope
                 * @param {$protobuf.IConversionOptions} [options] Conversion options
                 * @returns {Object.<string,*>} Plain object
                 */
                CollectorEnvelope.toObject = function (message, options, _depth) {
                    if (!options)
                        options = {};
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let object = {};
                    if (message.welcome != null && $Object.hasOwnProperty.call(message, "welcome")) {
                        object.welcome = $root.tally.agent.v1.Welcome.toObject(message.welcome, options, _depth + 1);
                        if (options.oneofs)
                            object.body = "welcome";
                    }
                    if (message.ack != null && $Object.hasOwnProperty.call(message, "ack")) {
                        object.ack = $root.tally.agent.v1.Ack.toObject(message.ack, options, _depth + 1);
                        if (options.oneofs)
                            object.body = "ack";
                    }
                    if (message.error != null && $Object.hasOwnProperty.call(message, "error")) {
                        object.error = $root.tally.agent.v1.Error.toObject(message.error, options, _depth + 1);
                        if (options.oneofs)
                            object.body = "error";
                    }
                    return object;
                };

                /**
                 * Converts this CollectorEnvelope to JSON.
                 * @function toJSON
                 * @memberof tally.agent.v1.CollectorEnvelope
                 * @instance
                 * @returns {Object.<string,*>} JSON object
                 */
                CollectorEnvelope.prototype.toJSON = function() {
                    return CollectorEnvelope.toObject(this, $protobuf.util.toJSONOptions);
                };

                /**
                 * Gets the type url for CollectorEnvelope
                 * @function getTypeUrl
                 * @memberof tally.agent.v1.CollectorEnvelope
                 * @static
                 * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns {string} The type url
                 */
                CollectorEnvelope.getTypeUrl = function(prefix) {
                    if (prefix === $undefined)
                        prefix = "type.googleapis.com";
                    return prefix + "/tally.agent.v1.CollectorEnvelope";
                };

                return CollectorEnvelope;
            })();

            v1.Welcome = (function() {

                /**
                 * Properties of a Welcome.
                 * @typedef {Object} tally.agent.v1.Welcome.$Properties
                 * @property {string|null} [deviceId] Welcome deviceId
                 * @property {string|null} [deviceKey] Welcome deviceKey
                 * @property {number|null} [serverTimeMs] Welcome serverTimeMs
                 * @property {string|null} [companyId] Welcome companyId
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of a Welcome.
                 * @memberof tally.agent.v1
                 * @interface IWelcome
                 * @augments tally.agent.v1.Welcome.$Properties
                 * @deprecated Use tally.agent.v1.Welcome.$Properties instead.
                 */

                /**
                 * Shape of a Welcome.
                 * @typedef {tally.agent.v1.Welcome.$Properties} tally.agent.v1.Welcome.$Shape
                 */

                /**
                 * Constructs a new Welcome.
                 * @memberof tally.agent.v1
                 * @classdesc Represents a Welcome.
                 * @constructor
                 * @param {tally.agent.v1.Welcome.$Properties=} [properties] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const Welcome = function (properties) {
                    if (properties)
                        for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };

                /**
                 * Welcome deviceId.
                 * @member {string} deviceId
                 * @memberof tally.agent.v1.Welcome
                 * @instance
                 */
                Welcome.prototype.deviceId = "";

                /**
                 * Welcome deviceKey.
                 * @member {string} deviceKey
                 * @memberof tally.agent.v1.Welcome
                 * @instance
                 */
                Welcome.prototype.deviceKey = "";

                /**
                 * Welcome serverTimeMs.
                 * @member {number} serverTimeMs
                 * @memberof tally.agent.v1.Welcome
                 * @instance
                 */
                Welcome.prototype.serverTimeMs = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

                /**
                 * Welcome companyId.
                 * @member {string} companyId
                 * @memberof tally.agent.v1.Welcome
                 * @instance
                 */
                Welcome.prototype.companyId = "";

                /**
                 * Creates a new Welcome instance using the specified properties.
                 * @function create
                 * @memberof tally.agent.v1.Welcome
                 * @static
                 * @param {tally.agent.v1.Welcome.$Properties=} [properties] Properties to set
                 * @returns {tally.agent.v1.Welcome} Welcome instance
                 * @type {{
                 *   (properties: tally.agent.v1.Welcome.$Shape): tally.agent.v1.Welcome & tally.agent.v1.Welcome.$Shape;
                 *   (properties?: tally.agent.v1.Welcome.$Properties): tally.agent.v1.Welcome;
                 * }}
                 */
                Welcome.create = function(properties) {
                    return new Welcome(properties);
                };

                /**
                 * Encodes the specified Welcome message. Does not implicitly {@link tally.agent.v1.Welcome.verify|verify} messages.
                 * @function encode
                 * @memberof tally.agent.v1.Welcome
                 * @static
                 * @param {tally.agent.v1.Welcome.$Properties} message Welcome message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                Welcome.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.deviceId != null && $Object.hasOwnProperty.call(message, "deviceId") && message.deviceId !== "")
                        writer.uint32(/* id 1, wireType 2 =*/10).string(message.deviceId);
                    if (message.deviceKey != null && $Object.hasOwnProperty.call(message, "deviceKey") && message.deviceKey !== "")
                        writer.uint32(/* id 2, wireType 2 =*/18).string(message.deviceKey);
                    if (message.serverTimeMs != null && $Object.hasOwnProperty.call(message, "serverTimeMs") && (typeof message.serverTimeMs === "object" ? message.serverTimeMs.low || message.serverTimeMs.high : message.serverTimeMs !== 0))
                        writer.uint32(/* id 3, wireType 0 =*/24).int64(message.serverTimeMs);
                    if (message.companyId != null && $Object.hasOwnProperty.call(message, "companyId") && message.companyId !== "")
                        writer.uint32(/* id 4, wireType 2 =*/34).string(message.companyId);
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (let i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };

                /**
                 * Encodes the specified Welcome message, length delimited. Does not implicitly {@link tally.agent.v1.Welcome.verify|verify} messages.
                 * @function encodeDelimited
                 * @memberof tally.agent.v1.Welcome
                 * @static
                 * @param {tally.agent.v1.Welcome.$Properties} message Welcome message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                Welcome.encodeDelimited = function(message, writer) {
                    return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
                };

                /**
                 * Decodes a Welcome message from the specified reader or buffer.
                 * @function decode
                 * @memberof tally.agent.v1.Welcome
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @param {number} [length] Message length if known beforehand
                 * @returns {tally.agent.v1.Welcome & tally.agent.v1.Welcome.$Shape} Welcome
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                Welcome.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    let end, message, value;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.tally.agent.v1.Welcome();
                    while (reader.pos < end) {
                        let start = reader.pos;
                        let tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        let wireType = tag & 7;
                        switch (tag >>>= 3) {
                        case 1: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.deviceId = value;
                                else
                                    delete message.deviceId;
                                continue;
                            }
                        case 2: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.deviceKey = value;
                                else
                                    delete message.deviceKey;
                                continue;
                            }
                        case 3: {
                                if (wireType !== 0)
                                    break;
                                if (typeof (value = reader.int64()) === "object" ? value.low || value.high : value !== 0)
                                    message.serverTimeMs = value;
                                else
                                    delete message.serverTimeMs;
                                continue;
                            }
                        case 4: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.companyId = value;
                                else
                                    delete message.companyId;
                                continue;
                            }
                        }
                        reader.skipType(wireType, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };

                /**
                 * Decodes a Welcome message from the specified reader or buffer, length delimited.
                 * @function decodeDelimited
                 * @memberof tally.agent.v1.Welcome
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @returns {tally.agent.v1.Welcome & tally.agent.v1.Welcome.$Shape} Welcome
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                Welcome.decodeDelimited = function(reader) {
                    if (!(reader instanceof $Reader))
                        reader = new $Reader(reader);
                    return this.decode(reader, reader.size());
                };

                /**
                 * Verifies a Welcome message.
                 * @function verify
                 * @memberof tally.agent.v1.Welcome
                 * @static
                 * @param {Object.<string,*>} message Plain object to verify
                 * @returns {string|null} `null` if valid, otherwise the reason why it is not
                 */
                Welcome.verify = function (message, _depth) {
                    if (typeof message !== "object" || message === null)
                        return "object expected";
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        return "max depth exceeded";
                    if (message.deviceId != null && $Object.hasOwnProperty.call(message, "deviceId"))
                        if (!$util.isString(message.deviceId))
                            return "deviceId: string expected";
                    if (message.deviceKey != null && $Object.hasOwnProperty.call(message, "deviceKey"))
                        if (!$util.isString(message.deviceKey))
                            return "deviceKey: string expected";
                    if (message.serverTimeMs != null && $Object.hasOwnProperty.call(message, "serverTimeMs"))
                        if (!$util.isInteger(message.serverTimeMs) && !(message.serverTimeMs && $util.isInteger(message.serverTimeMs.low) && $util.isInteger(message.serverTimeMs.high)))
                            return "serverTimeMs: integer|Long expected";
                    if (message.companyId != null && $Object.hasOwnProperty.call(message, "companyId"))
                        if (!$util.isString(message.companyId))
                            return "companyId: string expected";
                    return null;
                };

                /**
                 * Creates a Welcome message from a plain object. Also converts values to their respective internal types.
                 * @function fromObject
                 * @memberof tally.agent.v1.Welcome
                 * @static
                 * @param {Object.<string,*>} object Plain object
                 * @returns {tally.agent.v1.Welcome} Welcome
                 */
                Welcome.fromObject = function (object, _depth) {
                    if (object instanceof $root.tally.agent.v1.Welcome)
                        return object;
                    if (!$util.isObject(object))
                        throw $TypeError(".tally.agent.v1.Welcome: object expected");
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let message = new $root.tally.agent.v1.Welcome();
                    if (object.deviceId != null)
                        if (typeof object.deviceId !== "string" || object.deviceId.length)
                            message.deviceId = $String(object.deviceId);
                    if (object.deviceKey != null)
                        if (typeof object.deviceKey !== "string" || object.deviceKey.length)
                            message.deviceKey = $String(object.deviceKey);
                    if (object.serverTimeMs != null)
                        if (typeof object.serverTimeMs === "object" ? object.serverTimeMs.low || object.serverTimeMs.high : $Number(object.serverTimeMs) !== 0)
                            if ($util.Long)
                                message.serverTimeMs = $util.Long.fromValue(object.serverTimeMs, false);
                            else if (typeof object.serverTimeMs === "string")
                                message.serverTimeMs = $parseInt(object.serverTimeMs, 10);
                            else if (typeof object.serverTimeMs === "number")
                                message.serverTimeMs = object.serverTimeMs;
                            else if (typeof object.serverTimeMs === "object")
                                message.serverTimeMs = new $util.LongBits(object.serverTimeMs.low >>> 0, object.serverTimeMs.high >>> 0).toNumber();
                    if (object.companyId != null)
                        if (typeof object.companyId !== "string" || object.companyId.length)
                            message.companyId = $String(object.companyId);
                    return message;
                };

                /**
                 * Creates a plain object from a Welcome message. Also converts values to other types if specified.
                 * @function toObject
                 * @memberof tally.agent.v1.Welcome
                 * @static
                 * @param {tally.agent.v1.Welcome} message Welcome
                 * @param {$protobuf.IConversionOptions} [options] Conversion options
                 * @returns {Object.<string,*>} Plain object
                 */
                Welcome.toObject = function (message, options, _depth) {
                    if (!options)
                        options = {};
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let object = {};
                    if (options.defaults) {
                        object.deviceId = "";
                        object.deviceKey = "";
                        if ($util.Long) {
                            let long = new $util.Long(0, 0, false);
                            object.serverTimeMs = options.longs === $String ? long.toString() : options.longs === $Number ? long.toNumber() : typeof $BigInt !== "undefined" && options.longs === $BigInt ? long.toBigInt() : long;
                        } else
                            object.serverTimeMs = options.longs === $String ? "0" : typeof $BigInt !== "undefined" && options.longs === $BigInt ? $BigInt("0") : 0;
                        object.companyId = "";
                    }
                    if (message.deviceId != null && $Object.hasOwnProperty.call(message, "deviceId"))
                        object.deviceId = message.deviceId;
                    if (message.deviceKey != null && $Object.hasOwnProperty.call(message, "deviceKey"))
                        object.deviceKey = message.deviceKey;
                    if (message.serverTimeMs != null && $Object.hasOwnProperty.call(message, "serverTimeMs"))
                        if (typeof $BigInt !== "undefined" && options.longs === $BigInt)
                            object.serverTimeMs = typeof message.serverTimeMs === "number" ? $BigInt(message.serverTimeMs) : $util.Long.fromBits(message.serverTimeMs.low >>> 0, message.serverTimeMs.high >>> 0, false).toBigInt();
                        else if (typeof message.serverTimeMs === "number")
                            object.serverTimeMs = options.longs === $String ? $String(message.serverTimeMs) : message.serverTimeMs;
                        else
                            object.serverTimeMs = options.longs === $String ? $util.Long.prototype.toString.call(message.serverTimeMs) : options.longs === $Number ? new $util.LongBits(message.serverTimeMs.low >>> 0, message.serverTimeMs.high >>> 0).toNumber() : message.serverTimeMs;
                    if (message.companyId != null && $Object.hasOwnProperty.call(message, "companyId"))
                        object.companyId = message.companyId;
                    return object;
                };

                /**
                 * Converts this Welcome to JSON.
                 * @function toJSON
                 * @memberof tally.agent.v1.Welcome
                 * @instance
                 * @returns {Object.<string,*>} JSON object
                 */
                Welcome.prototype.toJSON = function() {
                    return Welcome.toObject(this, $protobuf.util.toJSONOptions);
                };

                /**
                 * Gets the type url for Welcome
                 * @function getTypeUrl
                 * @memberof tally.agent.v1.Welcome
                 * @static
                 * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns {string} The type url
                 */
                Welcome.getTypeUrl = function(prefix) {
                    if (prefix === $undefined)
                        prefix = "type.googleapis.com";
                    return prefix + "/tally.agent.v1.Welcome";
                };

                return Welcome;
            })();

            v1.Ack = (function() {

                /**
                 * Properties of an Ack.
                 * @typedef {Object} tally.agent.v1.Ack.$Properties
                 * @property {string|null} [stream] Ack stream
                 * @property {Array.<number>|null} [seqs] Ack seqs
                 * @property {Array.<tally.agent.v1.Rejection.$Properties>|null} [rejected] Ack rejected
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of an Ack.
                 * @memberof tally.agent.v1
                 * @interface IAck
                 * @augments tally.agent.v1.Ack.$Properties
                 * @deprecated Use tally.agent.v1.Ack.$Properties instead.
                 */

                /**
                 * Shape of an Ack.
                 * @typedef {tally.agent.v1.Ack.$Properties} tally.agent.v1.Ack.$Shape
                 */

                /**
                 * Constructs a new Ack.
                 * @memberof tally.agent.v1
                 * @classdesc Represents an Ack.
                 * @constructor
                 * @param {tally.agent.v1.Ack.$Properties=} [properties] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const Ack = function (properties) {
                    this.seqs = [];
                    this.rejected = [];
                    if (properties)
                        for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };

                /**
                 * Ack stream.
                 * @member {string} stream
                 * @memberof tally.agent.v1.Ack
                 * @instance
                 */
                Ack.prototype.stream = "";

                /**
                 * Ack seqs.
                 * @member {Array.<number>} seqs
                 * @memberof tally.agent.v1.Ack
                 * @instance
                 */
                Ack.prototype.seqs = $util.emptyArray;

                /**
                 * Ack rejected.
                 * @member {Array.<tally.agent.v1.Rejection.$Properties>} rejected
                 * @memberof tally.agent.v1.Ack
                 * @instance
                 */
                Ack.prototype.rejected = $util.emptyArray;

                /**
                 * Creates a new Ack instance using the specified properties.
                 * @function create
                 * @memberof tally.agent.v1.Ack
                 * @static
                 * @param {tally.agent.v1.Ack.$Properties=} [properties] Properties to set
                 * @returns {tally.agent.v1.Ack} Ack instance
                 * @type {{
                 *   (properties: tally.agent.v1.Ack.$Shape): tally.agent.v1.Ack & tally.agent.v1.Ack.$Shape;
                 *   (properties?: tally.agent.v1.Ack.$Properties): tally.agent.v1.Ack;
                 * }}
                 */
                Ack.create = function(properties) {
                    return new Ack(properties);
                };

                /**
                 * Encodes the specified Ack message. Does not implicitly {@link tally.agent.v1.Ack.verify|verify} messages.
                 * @function encode
                 * @memberof tally.agent.v1.Ack
                 * @static
                 * @param {tally.agent.v1.Ack.$Properties} message Ack message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                Ack.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.stream != null && $Object.hasOwnProperty.call(message, "stream") && message.stream !== "")
                        writer.uint32(/* id 1, wireType 2 =*/10).string(message.stream);
                    if (message.seqs != null && message.seqs.length)
                        writer.uint32(/* id 2, wireType 2 =*/18).uint64s(message.seqs);
                    if (message.rejected != null && message.rejected.length)
                        for (let i = 0; i < message.rejected.length; ++i)
                            $root.tally.agent.v1.Rejection.encode(message.rejected[i], writer.uint32(/* id 3, wireType 2 =*/26).fork(), _depth + 1).ldelim();
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (let i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };

                /**
                 * Encodes the specified Ack message, length delimited. Does not implicitly {@link tally.agent.v1.Ack.verify|verify} messages.
                 * @function encodeDelimited
                 * @memberof tally.agent.v1.Ack
                 * @static
                 * @param {tally.agent.v1.Ack.$Properties} message Ack message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                Ack.encodeDelimited = function(message, writer) {
                    return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
                };

                /**
                 * Decodes an Ack message from the specified reader or buffer.
                 * @function decode
                 * @memberof tally.agent.v1.Ack
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @param {number} [length] Message length if known beforehand
                 * @returns {tally.agent.v1.Ack & tally.agent.v1.Ack.$Shape} Ack
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                Ack.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    let end, message, value;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.tally.agent.v1.Ack();
                    while (reader.pos < end) {
                        let start = reader.pos;
                        let tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        let wireType = tag & 7;
                        switch (tag >>>= 3) {
                        case 1: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.stream = value;
                                else
                                    delete message.stream;
                                continue;
                            }
                        case 2: {
                                if (wireType === 2) {
                                    if (!(message.seqs && message.seqs.length))
                                        message.seqs = [];
                                    reader.uint64s(message.seqs);
                                    continue;
                                }
                                if (wireType !== 0)
                                    break;
                                if (!(message.seqs && message.seqs.length))
                                    message.seqs = [];
                                message.seqs.push(reader.uint64());
                                continue;
                            }
                        case 3: {
                                if (wireType !== 2)
                                    break;
                                if (!(message.rejected && message.rejected.length))
                                    message.rejected = [];
                                message.rejected.push($root.tally.agent.v1.Rejection.decode(reader, reader.size(), $undefined, _depth + 1));
                                continue;
                            }
                        }
                        reader.skipType(wireType, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };

                /**
                 * Decodes an Ack message from the specified reader or buffer, length delimited.
                 * @function decodeDelimited
                 * @memberof tally.agent.v1.Ack
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @returns {tally.agent.v1.Ack & tally.agent.v1.Ack.$Shape} Ack
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                Ack.decodeDelimited = function(reader) {
                    if (!(reader instanceof $Reader))
                        reader = new $Reader(reader);
                    return this.decode(reader, reader.size());
                };

                /**
                 * Verifies an Ack message.
                 * @function verify
                 * @memberof tally.agent.v1.Ack
                 * @static
                 * @param {Object.<string,*>} message Plain object to verify
                 * @returns {string|null} `null` if valid, otherwise the reason why it is not
                 */
                Ack.verify = function (message, _depth) {
                    if (typeof message !== "object" || message === null)
                        return "object expected";
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        return "max depth exceeded";
                    if (message.stream != null && $Object.hasOwnProperty.call(message, "stream"))
                        if (!$util.isString(message.stream))
                            return "stream: string expected";
                    if (message.seqs != null && $Object.hasOwnProperty.call(message, "seqs")) {
                        if (!$Array.isArray(message.seqs))
                            return "seqs: array expected";
                        for (let i = 0; i < message.seqs.length; ++i)
                            if (!$util.isInteger(message.seqs[i]) && !(message.seqs[i] && $util.isInteger(message.seqs[i].low) && $util.isInteger(message.seqs[i].high)))
                                return "seqs: integer|Long[] expected";
                    }
                    if (message.rejected != null && $Object.hasOwnProperty.call(message, "rejected")) {
                        if (!$Array.isArray(message.rejected))
                            return "rejected: array expected";
                        for (let i = 0; i < message.rejected.length; ++i) {
                            let error = $root.tally.agent.v1.Rejection.verify(message.rejected[i], _depth + 1);
                            if (error)
                                return "rejected." + error;
                        }
                    }
                    return null;
                };

                /**
                 * Creates an Ack message from a plain object. Also converts values to their respective internal types.
                 * @function fromObject
                 * @memberof tally.agent.v1.Ack
                 * @static
                 * @param {Object.<string,*>} object Plain object
                 * @returns {tally.agent.v1.Ack} Ack
                 */
                Ack.fromObject = function (object, _depth) {
                    if (object instanceof $root.tally.agent.v1.Ack)
                        return object;
                    if (!$util.isObject(object))
                        throw $TypeError(".tally.agent.v1.Ack: object expected");
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let message = new $root.tally.agent.v1.Ack();
                    if (object.stream != null)
                        if (typeof object.stream !== "string" || object.stream.length)
                            message.stream = $String(object.stream);
                    if (object.seqs) {
                        if (!$Array.isArray(object.seqs))
                            throw $TypeError(".tally.agent.v1.Ack.seqs: array expected");
                        message.seqs = $Array(object.seqs.length);
                        for (let i = 0; i < object.seqs.length; ++i)
                            if ($util.Long)
                                message.seqs[i] = $util.Long.fromValue(object.seqs[i], true);
                            else if (typeof object.seqs[i] === "string")
                                message.seqs[i] = $parseInt(object.seqs[i], 10);
                            else if (typeof object.seqs[i] === "number")
                                message.seqs[i] = object.seqs[i];
                            else if (typeof object.seqs[i] === "object")
                                message.seqs[i] = new $util.LongBits(object.seqs[i].low >>> 0, object.seqs[i].high >>> 0).toNumber(true);
                    }
                    if (object.rejected) {
                        if (!$Array.isArray(object.rejected))
                            throw $TypeError(".tally.agent.v1.Ack.rejected: array expected");
                        message.rejected = $Array(object.rejected.length);
                        for (let i = 0; i < object.rejected.length; ++i) {
                            if (!$util.isObject(object.rejected[i]))
                                throw $TypeError(".tally.agent.v1.Ack.rejected: object expected");
                            message.rejected[i] = $root.tally.agent.v1.Rejection.fromObject(object.rejected[i], _depth + 1);
                        }
                    }
                    return message;
                };

                /**
                 * Creates a plain object from an Ack message. Also converts values to other types if specified.
                 * @function toObject
                 * @memberof tally.agent.v1.Ack
                 * @static
                 * @param {tally.agent.v1.Ack} message Ack
                 * @param {$protobuf.IConversionOptions} [options] Conversion options
                 * @returns {Object.<string,*>} Plain object
                 */
                Ack.toObject = function (message, options, _depth) {
                    if (!options)
                        options = {};
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let object = {};
                    if (options.arrays || options.defaults) {
                        object.seqs = [];
                        object.rejected = [];
                    }
                    if (options.defaults)
                        object.stream = "";
                    if (message.stream != null && $Object.hasOwnProperty.call(message, "stream"))
                        object.stream = message.stream;
                    if (message.seqs && message.seqs.length) {
                        object.seqs = $Array(message.seqs.length);
                        for (let j = 0; j < message.seqs.length; ++j)
                            if (typeof $BigInt !== "undefined" && options.longs === $BigInt)
                                object.seqs[j] = typeof message.seqs[j] === "number" ? $BigInt(message.seqs[j]) : $util.Long.fromBits(message.seqs[j].low >>> 0, message.seqs[j].high >>> 0, true).toBigInt();
                            else if (typeof message.seqs[j] === "number")
                                object.seqs[j] = options.longs === $String ? $String(message.seqs[j]) : message.seqs[j];
                            else
                                object.seqs[j] = options.longs === $String ? $util.Long.prototype.toString.call(message.seqs[j]) : options.longs === $Number ? new $util.LongBits(message.seqs[j].low >>> 0, message.seqs[j].high >>> 0).toNumber(true) : message.seqs[j];
                    }
                    if (message.rejected && message.rejected.length) {
                        object.rejected = $Array(message.rejected.length);
                        for (let j = 0; j < message.rejected.length; ++j)
                            object.rejected[j] = $root.tally.agent.v1.Rejection.toObject(message.rejected[j], options, _depth + 1);
                    }
                    return object;
                };

                /**
                 * Converts this Ack to JSON.
                 * @function toJSON
                 * @memberof tally.agent.v1.Ack
                 * @instance
                 * @returns {Object.<string,*>} JSON object
                 */
                Ack.prototype.toJSON = function() {
                    return Ack.toObject(this, $protobuf.util.toJSONOptions);
                };

                /**
                 * Gets the type url for Ack
                 * @function getTypeUrl
                 * @memberof tally.agent.v1.Ack
                 * @static
                 * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns {string} The type url
                 */
                Ack.getTypeUrl = function(prefix) {
                    if (prefix === $undefined)
                        prefix = "type.googleapis.com";
                    return prefix + "/tally.agent.v1.Ack";
                };

                return Ack;
            })();

            v1.Rejection = (function() {

                /**
                 * Properties of a Rejection.
                 * @typedef {Object} tally.agent.v1.Rejection.$Properties
                 * @property {number|null} [seq] Rejection seq
                 * @property {tally.agent.v1.ErrorCode|null} [code] Rejection code
                 * @property {string|null} [message] Rejection message
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of a Rejection.
                 * @memberof tally.agent.v1
                 * @interface IRejection
                 * @augments tally.agent.v1.Rejection.$Properties
                 * @deprecated Use tally.agent.v1.Rejection.$Properties instead.
                 */

                /**
                 * Shape of a Rejection.
                 * @typedef {tally.agent.v1.Rejection.$Properties} tally.agent.v1.Rejection.$Shape
                 */

                /**
                 * Constructs a new Rejection.
                 * @memberof tally.agent.v1
                 * @classdesc Represents a Rejection.
                 * @constructor
                 * @param {tally.agent.v1.Rejection.$Properties=} [properties] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const Rejection = function (properties) {
                    if (properties)
                        for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };

                /**
                 * Rejection seq.
                 * @member {number} seq
                 * @memberof tally.agent.v1.Rejection
                 * @instance
                 */
                Rejection.prototype.seq = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

                /**
                 * Rejection code.
                 * @member {tally.agent.v1.ErrorCode} code
                 * @memberof tally.agent.v1.Rejection
                 * @instance
                 */
                Rejection.prototype.code = 0;

                /**
                 * Rejection message.
                 * @member {string} message
                 * @memberof tally.agent.v1.Rejection
                 * @instance
                 */
                Rejection.prototype.message = "";

                /**
                 * Creates a new Rejection instance using the specified properties.
                 * @function create
                 * @memberof tally.agent.v1.Rejection
                 * @static
                 * @param {tally.agent.v1.Rejection.$Properties=} [properties] Properties to set
                 * @returns {tally.agent.v1.Rejection} Rejection instance
                 * @type {{
                 *   (properties: tally.agent.v1.Rejection.$Shape): tally.agent.v1.Rejection & tally.agent.v1.Rejection.$Shape;
                 *   (properties?: tally.agent.v1.Rejection.$Properties): tally.agent.v1.Rejection;
                 * }}
                 */
                Rejection.create = function(properties) {
                    return new Rejection(properties);
                };

                /**
                 * Encodes the specified Rejection message. Does not implicitly {@link tally.agent.v1.Rejection.verify|verify} messages.
                 * @function encode
                 * @memberof tally.agent.v1.Rejection
                 * @static
                 * @param {tally.agent.v1.Rejection.$Properties} message Rejection message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                Rejection.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.seq != null && $Object.hasOwnProperty.call(message, "seq") && (typeof message.seq === "object" ? message.seq.low || message.seq.high : message.seq !== 0))
                        writer.uint32(/* id 1, wireType 0 =*/8).uint64(message.seq);
                    if (message.code != null && $Object.hasOwnProperty.call(message, "code") && message.code !== 0)
                        writer.uint32(/* id 2, wireType 0 =*/16).int32(message.code);
                    if (message.message != null && $Object.hasOwnProperty.call(message, "message") && message.message !== "")
                        writer.uint32(/* id 3, wireType 2 =*/26).string(message.message);
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (let i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };

                /**
                 * Encodes the specified Rejection message, length delimited. Does not implicitly {@link tally.agent.v1.Rejection.verify|verify} messages.
                 * @function encodeDelimited
                 * @memberof tally.agent.v1.Rejection
                 * @static
                 * @param {tally.agent.v1.Rejection.$Properties} message Rejection message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                Rejection.encodeDelimited = function(message, writer) {
                    return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
                };

                /**
                 * Decodes a Rejection message from the specified reader or buffer.
                 * @function decode
                 * @memberof tally.agent.v1.Rejection
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @param {number} [length] Message length if known beforehand
                 * @returns {tally.agent.v1.Rejection & tally.agent.v1.Rejection.$Shape} Rejection
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                Rejection.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    let end, message, value;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.tally.agent.v1.Rejection();
                    while (reader.pos < end) {
                        let start = reader.pos;
                        let tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        let wireType = tag & 7;
                        switch (tag >>>= 3) {
                        case 1: {
                                if (wireType !== 0)
                                    break;
                                if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                    message.seq = value;
                                else
                                    delete message.seq;
                                continue;
                            }
                        case 2: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.int32())
                                    message.code = value;
                                else
                                    delete message.code;
                                continue;
                            }
                        case 3: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.message = value;
                                else
                                    delete message.message;
                                continue;
                            }
                        }
                        reader.skipType(wireType, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };

                /**
                 * Decodes a Rejection message from the specified reader or buffer, length delimited.
                 * @function decodeDelimited
                 * @memberof tally.agent.v1.Rejection
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @returns {tally.agent.v1.Rejection & tally.agent.v1.Rejection.$Shape} Rejection
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                Rejection.decodeDelimited = function(reader) {
                    if (!(reader instanceof $Reader))
                        reader = new $Reader(reader);
                    return this.decode(reader, reader.size());
                };

                /**
                 * Verifies a Rejection message.
                 * @function verify
                 * @memberof tally.agent.v1.Rejection
                 * @static
                 * @param {Object.<string,*>} message Plain object to verify
                 * @returns {string|null} `null` if valid, otherwise the reason why it is not
                 */
                Rejection.verify = function (message, _depth) {
                    if (typeof message !== "object" || message === null)
                        return "object expected";
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        return "max depth exceeded";
                    if (message.seq != null && $Object.hasOwnProperty.call(message, "seq"))
                        if (!$util.isInteger(message.seq) && !(message.seq && $util.isInteger(message.seq.low) && $util.isInteger(message.seq.high)))
                            return "seq: integer|Long expected";
                    if (message.code != null && $Object.hasOwnProperty.call(message, "code"))
                        if (typeof message.code !== "number" || (message.code | 0) !== message.code)
                            return "code: enum value expected";
                    if (message.message != null && $Object.hasOwnProperty.call(message, "message"))
                        if (!$util.isString(message.message))
                            return "message: string expected";
                    return null;
                };

                /**
                 * Creates a Rejection message from a plain object. Also converts values to their respective internal types.
                 * @function fromObject
                 * @memberof tally.agent.v1.Rejection
                 * @static
                 * @param {Object.<string,*>} object Plain object
                 * @returns {tally.agent.v1.Rejection} Rejection
                 */
                Rejection.fromObject = function (object, _depth) {
                    if (object instanceof $root.tally.agent.v1.Rejection)
                        return object;
                    if (!$util.isObject(object))
                        throw $TypeError(".tally.agent.v1.Rejection: object expected");
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let message = new $root.tally.agent.v1.Rejection();
                    if (object.seq != null)
                        if (typeof object.seq === "object" ? object.seq.low || object.seq.high : $Number(object.seq) !== 0)
                            if ($util.Long)
                                message.seq = $util.Long.fromValue(object.seq, true);
                            else if (typeof object.seq === "string")
                                message.seq = $parseInt(object.seq, 10);
                            else if (typeof object.seq === "number")
                                message.seq = object.seq;
                            else if (typeof object.seq === "object")
                                message.seq = new $util.LongBits(object.seq.low >>> 0, object.seq.high >>> 0).toNumber(true);
                    if (object.code !== 0 && (typeof object.code !== "string" || $root.tally.agent.v1.ErrorCode[object.code] !== 0))
                        switch (object.code) {
                        case "ERROR_CODE_UNSPECIFIED":
                        case 0:
                            message.code = 0;
                            break;
                        case "BAD_FRAME":
                        case 1:
                            message.code = 1;
                            break;
                        case "UNKNOWN_MESSAGE":
                        case 2:
                            message.code = 2;
                            break;
                        case "FRAME_TOO_LARGE":
                        case 3:
                            message.code = 3;
                            break;
                        case "INVALID_TOKEN":
                        case 4:
                            message.code = 4;
                            break;
                        case "INVALID_DEVICE_KEY":
                        case 5:
                            message.code = 5;
                            break;
                        case "PROTOCOL_VIOLATION":
                        case 6:
                            message.code = 6;
                            break;
                        case "INVALID_RECORD":
                        case 7:
                            message.code = 7;
                            break;
                        case "COMPANY_INACTIVE":
                        case 8:
                            message.code = 8;
                            break;
                        case "RATE_LIMITED":
                        case 9:
                            message.code = 9;
                            break;
                        case "STORAGE_UNAVAILABLE":
                        case 10:
                            message.code = 10;
                            break;
                        case "INTERNAL":
                        case 11:
                            message.code = 11;
                            break;
                        case "CLONE_DETECTED":
                        case 12:
                            message.code = 12;
                            break;
                        case "OUT_OF_RANGE":
                        case 13:
                            message.code = 13;
                            break;
                        case "TOKEN_EXHAUSTED":
                        case 14:
                            message.code = 14;
                            break;
                        case "CONNECTION_REPLACED":
                        case 15:
                            message.code = 15;
                            break;
                        case "EVENT_TOO_LARGE":
                        case 16:
                            message.code = 16;
                            break;
                        case "TOO_MANY_STREAMS":
                        case 17:
                            message.code = 17;
                            break;
                        case "TOO_MANY_EVENTS":
                        case 18:
                            message.code = 18;
                            break;
                        default:
                            if (typeof object.code === "number" && (object.code | 0) === object.code)
                                message.code = object.code;
                        }
                    if (object.message != null)
                        if (typeof object.message !== "string" || object.message.length)
                            message.message = $String(object.message);
                    return message;
                };

                /**
                 * Creates a plain object from a Rejection message. Also converts values to other types if specified.
                 * @function toObject
                 * @memberof tally.agent.v1.Rejection
                 * @static
                 * @param {tally.agent.v1.Rejection} message Rejection
                 * @param {$protobuf.IConversionOptions} [options] Conversion options
                 * @returns {Object.<string,*>} Plain object
                 */
                Rejection.toObject = function (message, options, _depth) {
                    if (!options)
                        options = {};
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let object = {};
                    if (options.defaults) {
                        if ($util.Long) {
                            let long = new $util.Long(0, 0, true);
                            object.seq = options.longs === $String ? long.toString() : options.longs === $Number ? long.toNumber() : typeof $BigInt !== "undefined" && options.longs === $BigInt ? long.toBigInt() : long;
                        } else
                            object.seq = options.longs === $String ? "0" : typeof $BigInt !== "undefined" && options.longs === $BigInt ? $BigInt("0") : 0;
                        object.code = options.enums === $String ? "ERROR_CODE_UNSPECIFIED" : 0;
                        object.message = "";
                    }
                    if (message.seq != null && $Object.hasOwnProperty.call(message, "seq"))
                        if (typeof $BigInt !== "undefined" && options.longs === $BigInt)
                            object.seq = typeof message.seq === "number" ? $BigInt(message.seq) : $util.Long.fromBits(message.seq.low >>> 0, message.seq.high >>> 0, true).toBigInt();
                        else if (typeof message.seq === "number")
                            object.seq = options.longs === $String ? $String(message.seq) : message.seq;
                        else
                            object.seq = options.longs === $String ? $util.Long.prototype.toString.call(message.seq) : options.longs === $Number ? new $util.LongBits(message.seq.low >>> 0, message.seq.high >>> 0).toNumber(true) : message.seq;
                    if (message.code != null && $Object.hasOwnProperty.call(message, "code"))
                        object.code = options.enums === $String ? $root.tally.agent.v1.ErrorCode[message.code] === $undefined ? message.code : $root.tally.agent.v1.ErrorCode[message.code] : message.code;
                    if (message.message != null && $Object.hasOwnProperty.call(message, "message"))
                        object.message = message.message;
                    return object;
                };

                /**
                 * Converts this Rejection to JSON.
                 * @function toJSON
                 * @memberof tally.agent.v1.Rejection
                 * @instance
                 * @returns {Object.<string,*>} JSON object
                 */
                Rejection.prototype.toJSON = function() {
                    return Rejection.toObject(this, $protobuf.util.toJSONOptions);
                };

                /**
                 * Gets the type url for Rejection
                 * @function getTypeUrl
                 * @memberof tally.agent.v1.Rejection
                 * @static
                 * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns {string} The type url
                 */
                Rejection.getTypeUrl = function(prefix) {
                    if (prefix === $undefined)
                        prefix = "type.googleapis.com";
                    return prefix + "/tally.agent.v1.Rejection";
                };

                return Rejection;
            })();

            v1.Error = (function() {

                /**
                 * Properties of an Error.
                 * @typedef {Object} tally.agent.v1.Error.$Properties
                 * @property {tally.agent.v1.ErrorCode|null} [code] Error code
                 * @property {string|null} [message] Error message
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of an Error.
                 * @memberof tally.agent.v1
                 * @interface IError
                 * @augments tally.agent.v1.Error.$Properties
                 * @deprecated Use tally.agent.v1.Error.$Properties instead.
                 */

                /**
                 * Shape of an Error.
                 * @typedef {tally.agent.v1.Error.$Properties} tally.agent.v1.Error.$Shape
                 */

                /**
                 * Constructs a new Error.
                 * @memberof tally.agent.v1
                 * @classdesc Represents an Error.
                 * @constructor
                 * @param {tally.agent.v1.Error.$Properties=} [properties] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const Error = function (properties) {
                    if (properties)
                        for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };

                /**
                 * Error code.
                 * @member {tally.agent.v1.ErrorCode} code
                 * @memberof tally.agent.v1.Error
                 * @instance
                 */
                Error.prototype.code = 0;

                /**
                 * Error message.
                 * @member {string} message
                 * @memberof tally.agent.v1.Error
                 * @instance
                 */
                Error.prototype.message = "";

                /**
                 * Creates a new Error instance using the specified properties.
                 * @function create
                 * @memberof tally.agent.v1.Error
                 * @static
                 * @param {tally.agent.v1.Error.$Properties=} [properties] Properties to set
                 * @returns {tally.agent.v1.Error} Error instance
                 * @type {{
                 *   (properties: tally.agent.v1.Error.$Shape): tally.agent.v1.Error & tally.agent.v1.Error.$Shape;
                 *   (properties?: tally.agent.v1.Error.$Properties): tally.agent.v1.Error;
                 * }}
                 */
                Error.create = function(properties) {
                    return new Error(properties);
                };

                /**
                 * Encodes the specified Error message. Does not implicitly {@link tally.agent.v1.Error.verify|verify} messages.
                 * @function encode
                 * @memberof tally.agent.v1.Error
                 * @static
                 * @param {tally.agent.v1.Error.$Properties} message Error message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                Error.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.code != null && $Object.hasOwnProperty.call(message, "code") && message.code !== 0)
                        writer.uint32(/* id 1, wireType 0 =*/8).int32(message.code);
                    if (message.message != null && $Object.hasOwnProperty.call(message, "message") && message.message !== "")
                        writer.uint32(/* id 2, wireType 2 =*/18).string(message.message);
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (let i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };

                /**
                 * Encodes the specified Error message, length delimited. Does not implicitly {@link tally.agent.v1.Error.verify|verify} messages.
                 * @function encodeDelimited
                 * @memberof tally.agent.v1.Error
                 * @static
                 * @param {tally.agent.v1.Error.$Properties} message Error message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                Error.encodeDelimited = function(message, writer) {
                    return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
                };

                /**
                 * Decodes an Error message from the specified reader or buffer.
                 * @function decode
                 * @memberof tally.agent.v1.Error
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @param {number} [length] Message length if known beforehand
                 * @returns {tally.agent.v1.Error & tally.agent.v1.Error.$Shape} Error
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                Error.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    let end, message, value;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.tally.agent.v1.Error();
                    while (reader.pos < end) {
                        let start = reader.pos;
                        let tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        let wireType = tag & 7;
                        switch (tag >>>= 3) {
                        case 1: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.int32())
                                    message.code = value;
                                else
                                    delete message.code;
                                continue;
                            }
                        case 2: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.message = value;
                                else
                                    delete message.message;
                                continue;
                            }
                        }
                        reader.skipType(wireType, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };

                /**
                 * Decodes an Error message from the specified reader or buffer, length delimited.
                 * @function decodeDelimited
                 * @memberof tally.agent.v1.Error
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @returns {tally.agent.v1.Error & tally.agent.v1.Error.$Shape} Error
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                Error.decodeDelimited = function(reader) {
                    if (!(reader instanceof $Reader))
                        reader = new $Reader(reader);
                    return this.decode(reader, reader.size());
                };

                /**
                 * Verifies an Error message.
                 * @function verify
                 * @memberof tally.agent.v1.Error
                 * @static
                 * @param {Object.<string,*>} message Plain object to verify
                 * @returns {string|null} `null` if valid, otherwise the reason why it is not
                 */
                Error.verify = function (message, _depth) {
                    if (typeof message !== "object" || message === null)
                        return "object expected";
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        return "max depth exceeded";
                    if (message.code != null && $Object.hasOwnProperty.call(message, "code"))
                        if (typeof message.code !== "number" || (message.code | 0) !== message.code)
                            return "code: enum value expected";
                    if (message.message != null && $Object.hasOwnProperty.call(message, "message"))
                        if (!$util.isString(message.message))
                            return "message: string expected";
                    return null;
                };

                /**
                 * Creates an Error message from a plain object. Also converts values to their respective internal types.
                 * @function fromObject
                 * @memberof tally.agent.v1.Error
                 * @static
                 * @param {Object.<string,*>} object Plain object
                 * @returns {tally.agent.v1.Error} Error
                 */
                Error.fromObject = function (object, _depth) {
                    if (object instanceof $root.tally.agent.v1.Error)
                        return object;
                    if (!$util.isObject(object))
                        throw $TypeError(".tally.agent.v1.Error: object expected");
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let message = new $root.tally.agent.v1.Error();
                    if (object.code !== 0 && (typeof object.code !== "string" || $root.tally.agent.v1.ErrorCode[object.code] !== 0))
                        switch (object.code) {
                        case "ERROR_CODE_UNSPECIFIED":
                        case 0:
                            message.code = 0;
                            break;
                        case "BAD_FRAME":
                        case 1:
                            message.code = 1;
                            break;
                        case "UNKNOWN_MESSAGE":
                        case 2:
                            message.code = 2;
                            break;
                        case "FRAME_TOO_LARGE":
                        case 3:
                            message.code = 3;
                            break;
                        case "INVALID_TOKEN":
                        case 4:
                            message.code = 4;
                            break;
                        case "INVALID_DEVICE_KEY":
                        case 5:
                            message.code = 5;
                            break;
                        case "PROTOCOL_VIOLATION":
                        case 6:
                            message.code = 6;
                            break;
                        case "INVALID_RECORD":
                        case 7:
                            message.code = 7;
                            break;
                        case "COMPANY_INACTIVE":
                        case 8:
                            message.code = 8;
                            break;
                        case "RATE_LIMITED":
                        case 9:
                            message.code = 9;
                            break;
                        case "STORAGE_UNAVAILABLE":
                        case 10:
                            message.code = 10;
                            break;
                        case "INTERNAL":
                        case 11:
                            message.code = 11;
                            break;
                        case "CLONE_DETECTED":
                        case 12:
                            message.code = 12;
                            break;
                        case "OUT_OF_RANGE":
                        case 13:
                            message.code = 13;
                            break;
                        case "TOKEN_EXHAUSTED":
                        case 14:
                            message.code = 14;
                            break;
                        case "CONNECTION_REPLACED":
                        case 15:
                            message.code = 15;
                            break;
                        case "EVENT_TOO_LARGE":
                        case 16:
                            message.code = 16;
                            break;
                        case "TOO_MANY_STREAMS":
                        case 17:
                            message.code = 17;
                            break;
                        case "TOO_MANY_EVENTS":
                        case 18:
                            message.code = 18;
                            break;
                        default:
                            if (typeof object.code === "number" && (object.code | 0) === object.code)
                                message.code = object.code;
                        }
                    if (object.message != null)
                        if (typeof object.message !== "string" || object.message.length)
                            message.message = $String(object.message);
                    return message;
                };

                /**
                 * Creates a plain object from an Error message. Also converts values to other types if specified.
                 * @function toObject
                 * @memberof tally.agent.v1.Error
                 * @static
                 * @param {tally.agent.v1.Error} message Error
                 * @param {$protobuf.IConversionOptions} [options] Conversion options
                 * @returns {Object.<string,*>} Plain object
                 */
                Error.toObject = function (message, options, _depth) {
                    if (!options)
                        options = {};
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let object = {};
                    if (options.defaults) {
                        object.code = options.enums === $String ? "ERROR_CODE_UNSPECIFIED" : 0;
                        object.message = "";
                    }
                    if (message.code != null && $Object.hasOwnProperty.call(message, "code"))
                        object.code = options.enums === $String ? $root.tally.agent.v1.ErrorCode[message.code] === $undefined ? message.code : $root.tally.agent.v1.ErrorCode[message.code] : message.code;
                    if (message.message != null && $Object.hasOwnProperty.call(message, "message"))
                        object.message = message.message;
                    return object;
                };

                /**
                 * Converts this Error to JSON.
                 * @function toJSON
                 * @memberof tally.agent.v1.Error
                 * @instance
                 * @returns {Object.<string,*>} JSON object
                 */
                Error.prototype.toJSON = function() {
                    return Error.toObject(this, $protobuf.util.toJSONOptions);
                };

                /**
                 * Gets the type url for Error
                 * @function getTypeUrl
                 * @memberof tally.agent.v1.Error
                 * @static
                 * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns {string} The type url
                 */
                Error.getTypeUrl = function(prefix) {
                    if (prefix === $undefined)
                        prefix = "type.googleapis.com";
                    return prefix + "/tally.agent.v1.Error";
                };

                return Error;
            })();

            /**
             * ErrorCode enum.
             * @name tally.agent.v1.ErrorCode
             * @enum {number}
             * @property {number} ERROR_CODE_UNSPECIFIED=0 ERROR_CODE_UNSPECIFIED value
             * @property {number} BAD_FRAME=1 BAD_FRAME value
             * @property {number} UNKNOWN_MESSAGE=2 UNKNOWN_MESSAGE value
             * @property {number} FRAME_TOO_LARGE=3 FRAME_TOO_LARGE value
             * @property {number} INVALID_TOKEN=4 INVALID_TOKEN value
             * @property {number} INVALID_DEVICE_KEY=5 INVALID_DEVICE_KEY value
             * @property {number} PROTOCOL_VIOLATION=6 PROTOCOL_VIOLATION value
             * @property {number} INVALID_RECORD=7 INVALID_RECORD value
             * @property {number} COMPANY_INACTIVE=8 COMPANY_INACTIVE value
             * @property {number} RATE_LIMITED=9 RATE_LIMITED value
             * @property {number} STORAGE_UNAVAILABLE=10 STORAGE_UNAVAILABLE value
             * @property {number} INTERNAL=11 INTERNAL value
             * @property {number} CLONE_DETECTED=12 CLONE_DETECTED value
             * @property {number} OUT_OF_RANGE=13 OUT_OF_RANGE value
             * @property {number} TOKEN_EXHAUSTED=14 TOKEN_EXHAUSTED value
             * @property {number} CONNECTION_REPLACED=15 CONNECTION_REPLACED value
             * @property {number} EVENT_TOO_LARGE=16 EVENT_TOO_LARGE value
             * @property {number} TOO_MANY_STREAMS=17 TOO_MANY_STREAMS value
             * @property {number} TOO_MANY_EVENTS=18 TOO_MANY_EVENTS value
             */
            v1.ErrorCode = (function() {
                const valuesById = $Object.create(null), values = $Object.create(valuesById);
                values[valuesById[0] = "ERROR_CODE_UNSPECIFIED"] = 0;
                values[valuesById[1] = "BAD_FRAME"] = 1;
                values[valuesById[2] = "UNKNOWN_MESSAGE"] = 2;
                values[valuesById[3] = "FRAME_TOO_LARGE"] = 3;
                values[valuesById[4] = "INVALID_TOKEN"] = 4;
                values[valuesById[5] = "INVALID_DEVICE_KEY"] = 5;
                values[valuesById[6] = "PROTOCOL_VIOLATION"] = 6;
                values[valuesById[7] = "INVALID_RECORD"] = 7;
                values[valuesById[8] = "COMPANY_INACTIVE"] = 8;
                values[valuesById[9] = "RATE_LIMITED"] = 9;
                values[valuesById[10] = "STORAGE_UNAVAILABLE"] = 10;
                values[valuesById[11] = "INTERNAL"] = 11;
                values[valuesById[12] = "CLONE_DETECTED"] = 12;
                values[valuesById[13] = "OUT_OF_RANGE"] = 13;
                values[valuesById[14] = "TOKEN_EXHAUSTED"] = 14;
                values[valuesById[15] = "CONNECTION_REPLACED"] = 15;
                values[valuesById[16] = "EVENT_TOO_LARGE"] = 16;
                values[valuesById[17] = "TOO_MANY_STREAMS"] = 17;
                values[valuesById[18] = "TOO_MANY_EVENTS"] = 18;
                return values;
            })();

            return v1;
        })();

        return agent;
    })();

    return tally;
})();

export {
  $root as default
};
