import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { FloatField, floatField } from "@web/views/fields/float/float_field";
import { useEffect } from "@odoo/owl";

/**
 * The counted quantity of a count line: empty ("Not counted") until someone counts it, so a
 * line counted zero (0.00) is told apart from a line nobody counted. Typing 0 on a line not yet
 * counted records a zero: the value is sent even though it equals the stored 0.
 */
export class CountedQuantityField extends FloatField {
    static template = "running_inventory.CountedQuantityField";
    static props = { ...FloatField.props, countedField: { type: String, optional: true } };
    static defaultProps = { ...FloatField.defaultProps, countedField: "is_counted" };

    setup() {
        super.setup();
        this.typed = false;
        useEffect(
            (inputEl) => {
                if (!inputEl) {
                    return;
                }
                const onInput = () => (this.typed = true);
                const onChange = (ev) => this.commitZero(ev);
                inputEl.addEventListener("input", onInput);
                inputEl.addEventListener("change", onChange);
                return () => {
                    inputEl.removeEventListener("input", onInput);
                    inputEl.removeEventListener("change", onChange);
                };
            },
            () => [this.inputRef.el]
        );
    }

    get isCounted() {
        return Boolean(this.props.record.data[this.props.countedField]);
    }

    commitZero(ev) {
        if (this.isCounted || ev.target.value.trim() === "") {
            return;
        }
        let value;
        try {
            value = this.parse(ev.target.value);
        } catch {
            return;
        }
        if (value === this.props.record.data[this.props.name]) {
            // The same value as the stored 0: force it, it is a count.
            this.props.record.update({ [this.props.name]: value });
        }
    }

    get formattedValue() {
        if (!this.isCounted && !this.typed && !this.props.record.data[this.props.name]) {
            return "";
        }
        return super.formattedValue;
    }

    get notCountedLabel() {
        return _t("Not counted");
    }
}

export const countedQuantityField = {
    ...floatField,
    component: CountedQuantityField,
    displayName: _t("Counted Quantity"),
    extractProps(fieldInfo, dynamicInfo) {
        return {
            ...floatField.extractProps(fieldInfo, dynamicInfo),
            countedField: fieldInfo.options.counted_field,
        };
    },
};

registry.category("fields").add("running_inventory_counted_quantity", countedQuantityField);
